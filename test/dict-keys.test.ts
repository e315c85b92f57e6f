// Dict entries are tracked by constant key (issue 10): a config dict that also holds a token
// leaks nothing when another of its keys is read, whichever way the token went in (a literal,
// update, setdefault, dict(...), a ** merge, subscript assignment, nested keys); a key nbguard
// cannot read statically, or the whole dict, still carries the secret.

import { describe, expect, it } from 'vitest';
import { cells } from './helpers';

const SECRET = 'tok = dbutils.secrets.get("gh", "token")';

describe('a dict read by another constant key is clean', () => {
  it.each([
    ['a literal', 'cfg = {"token": tok, "schema": "main"}\nspark.sql(f"USE {cfg[\'schema\']}")\nprint(cfg.get("schema"))'],
    ['update', 'cfg = {"schema": "main"}\ncfg.update({"user": "svc", "client_secret": tok})\nspark.sql(f"USE {cfg[\'schema\']}")'],
    ['update of a loaded config', 'import json\ncfg = json.load(open("config.json"))\ncfg.update({"user": "svc", "client_secret": tok})\nspark.sql(f"USE {cfg[\'analysis_schema_name\']}")'],
    ['setdefault', 'cfg = {}\ncfg.setdefault("token", tok)\nprint(cfg["schema"])'],
    ['dict(...)', 'cfg = dict(token=tok, schema="main")\nprint(cfg["schema"])'],
    ['a ** merge', 'base = {"schema": "main"}\ncfg = {**base, "token": tok}\nprint(cfg["schema"])'],
    ['subscript assignment into a loaded config', 'import yaml\nCFG = yaml.safe_load(open("c.yaml"))\nCFG["github_token"] = tok\nprint(CFG["prompts"]["parse_issue"]["system"])'],
    ['a nested key', 'import yaml\nCFG = yaml.safe_load(open("c.yaml"))\nCFG["model"]["groq"]["key"] = tok\nprint(CFG["prompts"])'],
    // autogen's config_list: a list of dicts read at an index nbguard cannot know.
    ['an entry of a list of dicts', 'config_list = [{"model": "gpt-4o", "api_key": tok}]\nprint([config_list[i]["model"] for i in range(len(config_list))])'],
    ['an entry of each dict of a list', 'config_list = [{"model": "a", "api_key": tok}, {"model": "b", "api_key": tok}]\nfor c in config_list:\n    print(c["model"])'],
  ])('%s', async (_name, code) => {
    expect(await cells(SECRET, code)).toEqual([]);
  });
});

describe('the secret is still found', () => {
  it.each([
    ['by its own key', 'cfg = {"schema": "main"}\ncfg.update({"client_secret": tok})\nprint(cfg["client_secret"])', 3],
    ['by a key that is not constant', 'cfg = {"token": tok, "schema": "main"}\nk = input()\nprint(cfg[k])', 3],
    ['the whole dict', 'cfg = {"schema": "main"}\ncfg["token"] = tok\nprint(cfg)', 3],
    ['a nested key', 'import yaml\nCFG = yaml.safe_load(open("c.yaml"))\nCFG["model"]["groq"]["key"] = tok\nprint(CFG["model"]["groq"]["key"])', 4],
    ['the credential entry of a list of dicts', 'config_list = [{"model": "gpt-4o", "api_key": tok}]\ni = 0\nprint(config_list[i]["api_key"])', 3],
    ['an element of a list of dicts', 'config_list = [{"model": "gpt-4o", "api_key": tok}]\nfor c in config_list:\n    print(c)', 3],
    ['an appended secret read at an unknown index', 'keys = [{"model": "a"}]\nkeys.append(tok)\ni = 1\nprint(keys[i])', 4],
    ['an entry under a key that is not constant, read by another', 'cfg = {}\nname = input()\ncfg[name] = tok\nprint(cfg["schema"])', 4],
  ])('%s', async (_name, code, line) => {
    expect(await cells(SECRET, code)).toEqual([expect.stringMatching(new RegExp(`^NBG10[14]@1:${line}$`))]);
  });
});
