#!/usr/bin/env node
// Rebuilds the real-world notebook corpus from bare git mirrors (see README.md).
//
//   node bench/realworld/extract.mjs --mirrors DIR --out DIR [--list paths.tsv.gz] [--select repos.tsv]
//
// --list FILE    re-extract exactly the files listed (repo<TAB>commit<TAB>path per line; .gz or plain).
// --select FILE  choose the files afresh from each repository's commit in FILE (repo<TAB>commit...):
//                every *.ipynb and every *.py whose first line is "# Databricks notebook source",
//                20 MB or smaller, not a symbolic link; prints the chosen repo<TAB>commit<TAB>path lines on stdout.
// A mirror of owner/name is looked up as DIR/owner+name/repo, DIR/owner+name, or DIR/owner__name.
// Files are written to OUT/owner__name/path. Dependency-free: Node 20 and git.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { gunzipSync } from "node:zlib";

const MAX_BYTES = 20 * 1024 * 1024;
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
if (!args.mirrors || !args.out || (!args.list && !args.select)) {
  console.error("usage: extract.mjs --mirrors DIR --out DIR (--list paths.tsv[.gz] | --select repos.tsv)");
  process.exit(2);
}

function readLines(file) {
  let buf = readFileSync(file);
  if (file.endsWith(".gz")) buf = gunzipSync(buf);
  return buf.toString("utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
}

function gitDir(repo) {
  const [owner, name] = repo.split("/");
  for (const d of [`${owner}+${name}/repo`, `${owner}+${name}`, `${owner}__${name}`]) {
    const p = join(args.mirrors, d);
    if (existsSync(join(p, "objects")) || existsSync(join(p, ".git"))) return p;
  }
  throw new Error(`no mirror for ${repo} under ${args.mirrors}`);
}

function git(dir, argv, input) {
  const r = spawnSync("git", ["--git-dir", dir, ...argv], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${argv.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

// Reads many blobs at once through `git cat-file --batch`; returns Map spec -> Buffer.
function readBlobs(dir, specs) {
  const out = git(dir, ["cat-file", "--batch"], specs.map((s) => s + "\n").join(""));
  const blobs = new Map();
  let pos = 0;
  for (const spec of specs) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString();
    if (header.endsWith(" missing")) throw new Error(`missing in mirror: ${spec}`);
    const size = Number(header.split(" ")[2]);
    blobs.set(spec, out.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return blobs;
}

function select(repo, commit) {
  const dir = gitDir(repo);
  const entries = git(dir, ["ls-tree", "-r", "-l", "-z", commit]).toString().split("\0").filter(Boolean);
  const candidates = [];
  for (const e of entries) {
    const [meta, path] = e.split("\t");
    const [mode, type, , size] = meta.split(/\s+/);
    if (type !== "blob" || mode === "120000" || Number(size) > MAX_BYTES) continue; // no symlinks
    if (path.endsWith(".ipynb") || path.endsWith(".py")) candidates.push(path);
  }
  // Snapshots from the fetch tool lack blobs of 4 MiB and more (and LFS content): skip what is absent.
  const check = git(dir, ["cat-file", "--batch-check"], candidates.map((p) => `${commit}:${p}\n`).join(""));
  const present = new Set(check.toString().split("\n").map((l, i) => (l.endsWith(" missing") ? null : candidates[i])));
  candidates.splice(0, candidates.length, ...candidates.filter((p) => present.has(p)));
  const pys = candidates.filter((p) => p.endsWith(".py"));
  const heads = pys.length ? readBlobs(dir, pys.map((p) => `${commit}:${p}`)) : new Map();
  return candidates
    .filter((p) => p.endsWith(".ipynb") || /^\uFEFF?# Databricks notebook source\r?$/m.test(heads.get(`${commit}:${p}`).subarray(0, 200).toString().split("\n")[0]))
    .sort();
}

const byRepo = new Map(); // repo -> {commit, paths}
if (args.list) {
  for (const line of readLines(args.list)) {
    const [repo, commit, path] = line.split("\t");
    if (!byRepo.has(repo)) byRepo.set(repo, { commit, paths: [] });
    byRepo.get(repo).paths.push(path);
  }
} else {
  for (const line of readLines(args.select)) {
    const [repo, commit] = line.split("\t");
    if (repo === "repo") continue; // header
    const paths = select(repo, commit);
    byRepo.set(repo, { commit, paths });
    for (const p of paths) process.stdout.write(`${repo}\t${commit}\t${p}\n`);
  }
}

const outRoot = resolve(args.out);
let files = 0, bytes = 0;
for (const [repo, { commit, paths }] of byRepo) {
  const dir = gitDir(repo);
  const blobs = readBlobs(dir, paths.map((p) => `${commit}:${p}`));
  for (const p of paths) {
    const target = resolve(outRoot, repo.replace("/", "__"), p);
    if (!target.startsWith(outRoot + sep)) throw new Error(`path escapes output folder: ${p}`);
    mkdirSync(dirname(target), { recursive: true });
    const data = blobs.get(`${commit}:${p}`);
    writeFileSync(target, data);
    files++, bytes += data.length;
  }
}
console.error(`extracted ${files} files (${(bytes / 1e6).toFixed(1)} MB) from ${byRepo.size} repositories into ${outRoot}`);
