// The worker side of run.cjs: one Node worker per wasi-threads thread. A trap in
// the thread is reported to the supervisor, which ends the run.
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const { ThreadMessageHandler, WASIThreads } = require('@emnapi/wasi-threads')
const { guestWasi, report } = require('./wasi.cjs')

Object.assign(globalThis, {
  self: globalThis,
  postMessage: (message) => parentPort.postMessage(message)
})

const handler = new ThreadMessageHandler({
  async onLoad ({ wasmModule, wasmMemory }) {
    const wasi = guestWasi(workerData, ['thread'])
    const threads = new WASIThreads({ wasi, childThread: true })
    const instance = await WebAssembly.instantiate(wasmModule, {
      env: { memory: wasmMemory },
      wasi_snapshot_preview1: wasi.wasiImport,
      ...threads.getImportObject()
    })
    return { module: wasmModule, instance: threads.initialize(instance, wasmModule, wasmMemory) }
  },
  onError (error) {
    report({ error: String(error && error.stack ? error.stack : error) })
  }
})
parentPort.on('message', (data) => handler.handle({ data }))
