// Gives the JavaScript functions a WASM build imports short names, in the
// WASM and in its wasm-bindgen glue alike: wasm-bindgen names each one
// `__wbg_<function>_<16 hex digits>`, and the hex digits, random to a
// compressor, cost a phone about 4.5 KB brotli of its first download
// (docs/benchmarks.md). Run by scripts/post-build.sh on Trunk's staging
// directory, after wasm-opt, for every `<name>_bg.wasm` beside its `<name>.js`.
//
// The glue names each of wasm-bindgen's imports (`__wbg_…`, `__wbindgen_…`)
// once, as a key of the object it hands to the WASM (`__wbg_…: function(…)
// {…}`); other imports keep their names. A wasm-bindgen import not named
// exactly once, or one that is not a function, stops the build rather than
// ship a WASM whose imports the glue does not provide. The renaming depends
// only on the files, so a file's name (Trunk's hash of it before renaming)
// still names exactly one content, as its year-long caching needs.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const directory = process.argv[2];
if (!directory) {
  console.error('usage: node scripts/short-import-names.mjs <trunk staging directory>');
  process.exit(2);
}

/** An unsigned LEB128 number at `at`: [value, position after it]. */
function readNumber(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function writeNumber(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/** `a`, `b`, … `z`, `ba`, `bb`, …: never a name wasm-bindgen gives. */
function shortName(index) {
  let name = '';
  do {
    name = String.fromCharCode(97 + (index % 26)) + name;
    index = Math.floor(index / 26);
  } while (index > 0);
  return name;
}

const occurrences = (text, needle) => text.split(needle).length - 1;

function shorten(wasmPath, gluePath) {
  const wasm = readFileSync(wasmPath);
  let glue = readFileSync(gluePath, 'utf8');
  const parts = [wasm.subarray(0, 8)];
  let renamed = 0;
  let at = 8;
  while (at < wasm.length) {
    const section = wasm[at];
    const [size, start] = readNumber(wasm, at + 1);
    let body = wasm.subarray(start, start + size);
    if (section === 2) {
      const [count, first] = readNumber(body, 0);
      const imports = [writeNumber(count)];
      let cursor = first;
      for (let i = 0; i < count; i++) {
        const [moduleLength, moduleStart] = readNumber(body, cursor);
        const module = body.subarray(moduleStart, moduleStart + moduleLength);
        const [nameLength, nameStart] = readNumber(body, moduleStart + moduleLength);
        const name = body.subarray(nameStart, nameStart + nameLength).toString('utf8');
        cursor = nameStart + nameLength;
        if (body[cursor] !== 0) throw new Error(`${wasmPath}: import ${name} is not a function`);
        const [, afterType] = readNumber(body, cursor + 1);
        const description = body.subarray(cursor, afterType);
        cursor = afterType;
        let kept = name;
        if (name.startsWith('__wbg_') || name.startsWith('__wbindgen_')) {
          const key = `${name}:`;
          if (occurrences(glue, key) !== 1) throw new Error(`${gluePath}: import ${name} is not named exactly once`);
          kept = shortName(renamed++);
          glue = glue.replace(key, `${kept}:`);
        }
        const keptBytes = Buffer.from(kept, 'utf8');
        imports.push(writeNumber(module.length), module, writeNumber(keptBytes.length), keptBytes, description);
      }
      body = Buffer.concat(imports);
    }
    parts.push(Buffer.from([section]), writeNumber(body.length), body);
    at = start + size;
  }
  writeFileSync(wasmPath, Buffer.concat(parts));
  writeFileSync(gluePath, glue);
  console.log(`short-import-names: ${renamed} imports of ${wasmPath}`);
}

for (const file of readdirSync(directory)) {
  if (file.endsWith('_bg.wasm')) {
    shorten(join(directory, file), join(directory, file.replace(/_bg\.wasm$/, '.js')));
  }
}
