# %% [markdown]
# A `# %%` script with a few flows

# %%
import os
import boto3

key = os.environ["AWS_SECRET_ACCESS_KEY"]
session = boto3.Session(aws_secret_access_key=key)

# %%
cfg = {"secret": key, "region": "eu-west-1"}
with open("/tmp/cfg.json", "w") as f:
    json.dump(cfg, f)

# %%
async def main():
    async with session.client("s3") as s3:
        await s3.list_buckets()

print([k for k in cfg.values() if k])
