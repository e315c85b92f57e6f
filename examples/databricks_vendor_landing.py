# Databricks notebook source
# MAGIC %md
# MAGIC # Vendor S3 landing
# MAGIC Loads the vendor's shipments from their bucket with keys from the `vendor` secret scope.

# COMMAND ----------

# MAGIC %pip install boto3

# COMMAND ----------

access_key = dbutils.secrets.get("vendor", "aws-access-key-id")
secret_key = dbutils.secrets.get("vendor", "aws-secret-access-key")
spark.conf.set("fs.s3a.access.key", access_key)
spark.conf.set("fs.s3a.secret.key", secret_key)
spark.conf.set("fs.s3a.endpoint", "s3.eu-west-1.amazonaws.com")

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT count(*) FROM bronze.shipments -- the secret key is rotated monthly

# COMMAND ----------

DATABRICKS_TOKEN = "dapi3d5a4fd12aabfe228f219e9cb0eb53f1"
headers = {"Authorization": f"Bearer {DATABRICKS_TOKEN}"}

# COMMAND ----------

settings = {"bucket": "vendor-landing", "secret": secret_key}
dbutils.fs.put("dbfs:/tmp/vendor_settings.json", str(settings), overwrite=True)
dbutils.jobs.taskValues.set(key="vendor_settings", value=settings)
spark.sql(f"CREATE TABLE IF NOT EXISTS vendor.conn OPTIONS (secret '{secret_key}')")
print("configured")  # nbguard: ignore[NBG101]
