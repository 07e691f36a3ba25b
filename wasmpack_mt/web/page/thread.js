// One worker per wasi-threads thread. The first message (from program.js)
// carries the run's settings; @emnapi/wasi-threads sends the rest: the module
// and shared memory to load, then the thread to start.
import { ThreadMessageHandler, WASIThreads } from './lib/wasi-threads/wasi-threads.js'
import { Output, makeWasi } from './guest.js'

// Called as a method by the library, so a bound function, not the global itself.
const postMessage = (message) => self.postMessage(message)
let output = null
let settings = null
let tid = 0

const handler = new ThreadMessageHandler({
  postMessage,
  async onLoad ({ wasmModule, wasmMemory }) {
    const wasi = makeWasi(settings.guest, output)
    const threads = new WASIThreads({ wasi, childThread: true, postMessage })
    const instance = await WebAssembly.instantiate(wasmModule, {
      env: { memory: wasmMemory },
      wasi_snapshot_preview1: wasi.wasiImport,
      ...threads.getImportObject()
    })
    return { module: wasmModule, instance: threads.initialize(instance, wasmModule, wasmMemory) }
  },
  // A trap or proc_exit in this thread ends the whole run: tell the page directly
  // (the main thread may be blocked and never read its messages). A failed load
  // reaches the main thread's preloadWorkers() instead, before the program starts.
  onError (error, type) {
    if (type === 'start') output.fail(error, `thread ${tid}`)
  }
})

self.onmessage = (event) => {
  const { data } = event
  if (data?.wasmpack) {
    settings = data.wasmpack
    output = new Output(settings)
    return
  }
  if (data?.__emnapi__?.type === 'start') tid = data.__emnapi__.payload.tid
  handler.handle(event)
}
