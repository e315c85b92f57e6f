// The fixed first cells of every generated notebook: imports, widgets and settings, the raw
// data load, then one password and one token read from the secret store.

import { secretCell } from './credentialCells';
import { pad } from './filler';
import type { NotebookScope } from './notebookScope';

/** The first five code cells, in order. */
export function setupCells(scope: NotebookScope): string[][] {
  return [
    [
      'import os',
      'import json',
      'import logging',
      'from datetime import date, datetime, timedelta',
      '',
      'import numpy as np',
      'import pandas as pd',
      'import matplotlib.pyplot as plt',
      'import mlflow',
      'import requests',
      'import pyspark.sql.functions as F',
      'from pyspark.sql import Window',
    ],
    [
      'dbutils.widgets.text("run_date", "")',
      'dbutils.widgets.dropdown("env", "prod", ["dev", "staging", "prod"])',
      'run_date = dbutils.widgets.get("run_date") or str(date.today() - timedelta(days=1))',
      'env = dbutils.widgets.get("env")',
      'logger = logging.getLogger("nightly_pipeline")',
      'pd.set_option("display.max_columns", 40)',
      'RANDOM_STATE = 42',
      'fx_rate = 1.08',
      'print(f"run_date={run_date} env={env}")',
    ],
    [
      'raw_df = pd.read_parquet("/dbfs/mnt/raw/orders/2024/")',
      'raw_df["created_at"] = pd.to_datetime(raw_df["created_at"])',
      'raw_df = raw_df.dropna(subset=["customer_id"])',
      'base_sdf = spark.table("bronze.orders").filter(F.col("ingest_date") == run_date)',
      'print(f"{len(raw_df)} rows loaded for {run_date}")',
      'raw_df.head()',
    ],
    pad(scope, secretCell(scope, 'password'), 5),
    pad(scope, secretCell(scope, 'token'), 5),
  ];
}
