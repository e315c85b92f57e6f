// The names the generated notebooks are written with: business domains, DataFrame columns,
// secret scopes, database hosts, API endpoints and environment variables holding credentials.

export const DOMAINS = ['orders', 'customers', 'shipments', 'invoices', 'sessions', 'clicks', 'inventory', 'claims', 'payments', 'tickets', 'reviews', 'devices'];
export const COLUMNS = ['customer_id', 'order_id', 'amount', 'region', 'status', 'created_at', 'quantity', 'unit_price', 'category', 'channel', 'country', 'plan', 'score', 'store_id', 'sku'];
export const NUMERIC = ['amount', 'quantity', 'unit_price', 'score'];
export const GROUPING = ['region', 'status', 'category', 'channel', 'country', 'plan', 'store_id'];
export const SCOPES = ['sales-oltp', 'partner-tailwind', 'finance-dwh', 'ml-platform', 'vendor-s3', 'crm-sync', 'support-bot'];
export const HOSTS = ['sqlreplica-01.orders.contoso-retail.internal', 'dwh.fin.acme-data.internal', 'pg-analytics.eu.acme-data.internal', 'mssql-crm.contoso.internal'];
export const APIS = ['https://api.tailwind-partners.example/v2', 'https://crm.acme-data.internal/api', 'https://geo.weather-feed.example/v1', 'https://models.acme-ml.internal/api/v1'];
export const ENV_KEYS = ['PARTNER_API_TOKEN', 'MODEL_REGISTRY_API_KEY', 'SLACK_BOT_TOKEN', 'CRM_CLIENT_SECRET', 'GEOCODER_API_KEY'];
