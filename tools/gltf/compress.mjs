// Compress GLB files with gltfpack's meshopt compression (EXT_meshopt_compression), many in one process:
// Node and gltfpack's WebAssembly start once. Reads a JSON list of [input, output] paths on stdin.
// Called by pipeline/publish/glb.py; the arguments below are part of its cache key (GLTFPACK_ARGS there).
import { pack } from "gltfpack";
import fs from "fs";

const args = JSON.parse(process.argv[2]);
const iface = { read: (path) => fs.readFileSync(path), write: (path, data) => fs.writeFileSync(path, data) };
const jobs = JSON.parse(fs.readFileSync(0, "utf-8"));
for (const [input, output] of jobs) {
  try {
    await pack(["-i", input, "-o", output, ...args], iface);
  } catch (err) {
    process.stderr.write(`${input}: ${err.message}\n`);
    process.exit(1);
  }
}
