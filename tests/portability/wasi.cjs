// What the guest's main thread (run.cjs) and its other threads (worker.cjs) share:
// a WASI instance with the run's preopens, environment and blocking stdio, whose
// proc_exit ends the whole run, and the channel on which a thread reports the end.
'use strict'
const { WASI } = require('node:wasi')

const CHANNEL = 'wasmpack-run'
const parked = new Int32Array(new SharedArrayBuffer(4))

// Tell the supervisor (run.cjs) how the run ends: { exit: code } or { error: text }.
function report (message) {
  const channel = new BroadcastChannel(CHANNEL)
  channel.postMessage(message)
  channel.close()
}

function guestWasi (options, args) {
  const wasi = new WASI({
    version: 'preview1',
    args,
    env: options.env,
    preopens: options.preopens,
    stdout: options.stdout,
    stderr: options.stderr,
    returnOnExit: true
  })
  // proc_exit in any thread ends the run: report it, then wait for the supervisor.
  wasi.wasiImport.proc_exit = (code) => {
    report({ exit: code })
    for (;;) Atomics.wait(parked, 0, 0)
  }
  return wasi
}

module.exports = { CHANNEL, guestWasi, report }
