// Runs a wasi-threads command module on Node.js with @emnapi/wasi-threads:
//   node run.cjs MODULE.wasm INITIAL_PAGES MAXIMUM_PAGES [ARGS...]
// The shared memory is created here from the limits the module imports.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { WASI } = require('node:wasi')
const { Worker } = require('node:worker_threads')
const { WASIThreads } = require('@emnapi/wasi-threads')

async function main () {
  const [file, initial, maximum, ...args] = process.argv.slice(2)
  const wasi = new WASI({ version: 'preview1', args: [file, ...args], returnOnExit: true })
  const threads = new WASIThreads({
    wasi,
    waitThreadStart: 1000,
    onCreateWorker: () => new Worker(path.join(__dirname, 'worker.cjs'))
  })
  const memory = new WebAssembly.Memory({
    initial: Number(initial), maximum: Number(maximum), shared: true
  })
  const { module, instance } = await WebAssembly.instantiate(fs.readFileSync(file), {
    env: { memory },
    wasi_snapshot_preview1: wasi.wasiImport,
    ...threads.getImportObject()
  })
  threads.setup(instance, module, memory)
  process.exitCode = wasi.start(instance)
  threads.terminateAllThreads()
}

main().catch((error) => { console.error(error); process.exit(70) })
