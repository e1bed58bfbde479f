// Times mmd-parser (npm) on model files, in-process, for bench/bench_parse.py.
//
//   node parse_mmd.js REPEATS BUDGET_MS FILE...
//
// Each file is read once; `new MMDParser.Parser().parsePmx(buffer)` (parsePmd
// for .pmd) runs REPEATS times (fewer once BUDGET_MS is spent on the file, but
// at least 3) and each run is timed with the monotonic clock. Prints one JSON object: {file: {times_ms: [...], facts: {...}}} or
// {file: {error: "..."}} when the parser throws. The facts are what the
// bench compares with the file's known contents; null means "not read by
// this parser".
'use strict';

const fs = require('fs');
const MMDParser = require('mmd-parser');

function facts(model, pmd) {
  const v = model.vertices;
  // PMD's first skin is the "base" vertex list, not a morph.
  const morphs = pmd ? model.morphs.filter((m) => m.type !== 0) : model.morphs;
  return {
    vertices: v.length,
    faces: model.faces.length,
    name: model.metadata.modelName,
    bones: model.bones.map((b) => b.name),
    morphs: morphs.map((m) => m.name),
    first_position: v.length ? Array.from(v[0].position) : null,
    last_position: v.length ? Array.from(v[v.length - 1].position) : null,
    additional_uv: pmd ? [] : v.length ? v[0].auvs.flatMap((a) => Array.from(a)) : [],
    soft_bodies: null,
    qdef: null,
  };
}

function main() {
  const [repeats, budget, ...files] = process.argv.slice(2).map((a, i) => (i < 2 ? Number(a) : a));
  const out = {};
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    const pmd = file.toLowerCase().endsWith('.pmd');
    const times = [];
    let spent = 0;
    let model;
    try {
      while (times.length < repeats && (times.length < 3 || spent < budget)) {
        const t = process.hrtime.bigint();
        const parser = new MMDParser.Parser();
        model = pmd ? parser.parsePmd(buffer) : parser.parsePmx(buffer);
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        times.push(ms);
        spent += ms;
      }
      out[file] = { times_ms: times, facts: facts(model, pmd) };
    } catch (e) {
      out[file] = { error: String(e) };
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main();
