// The worker side of run.cjs: one Node worker per wasi-threads thread.
'use strict'
const { parentPort } = require('node:worker_threads')
const { WASI } = require('node:wasi')
const { ThreadMessageHandler, WASIThreads } = require('@emnapi/wasi-threads')

Object.assign(globalThis, {
  self: globalThis,
  postMessage: (message) => parentPort.postMessage(message)
})

const handler = new ThreadMessageHandler({
  async onLoad ({ wasmModule, wasmMemory }) {
    const wasi = new WASI({ version: 'preview1', returnOnExit: true })
    const threads = new WASIThreads({ wasi, childThread: true })
    const instance = await WebAssembly.instantiate(wasmModule, {
      env: { memory: wasmMemory },
      wasi_snapshot_preview1: wasi.wasiImport,
      ...threads.getImportObject()
    })
    return { module: wasmModule, instance: threads.initialize(instance, wasmModule, wasmMemory) }
  }
})
parentPort.on('message', (data) => handler.handle({ data }))
