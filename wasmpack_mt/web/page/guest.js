// What every worker of a run shares: the WASI of one guest thread, and the
// output channel to the page.
//
// Output and the exit travel on a BroadcastChannel as numbered messages; the
// numbers come from one shared counter, so the page puts the writes of all
// threads back in the order they happened and knows when it has them all.
import {
  WASI, WASIProcExit, File, Directory, OpenFile, PreopenDirectory, ConsoleStdout
} from './lib/browser_wasi_shim/index.js'

export const EXIT_TRAP = 134
export const EXIT_HOST_REFUSED = 7

// The sending side of a run's output channel (`init` comes from the page).
export class Output {
  constructor ({ channelName, counter }) {
    this.channel = new BroadcastChannel(channelName)
    this.counter = new Int32Array(counter)
  }

  send (message) {
    this.channel.postMessage({ seq: Atomics.add(this.counter, 0, 1), ...message })
  }

  write (fd, bytes) { this.send({ fd, bytes }) }

  exit (code, text) {
    if (text) this.write(2, new TextEncoder().encode(text + '\n'))
    this.send({ exit: code })
  }

  // The exit code and message for an exception that ended a guest thread.
  fail (error, who) {
    if (error instanceof WASIProcExit) return this.exit(error.code)
    if (error instanceof WebAssembly.RuntimeError || error?.name === 'RuntimeError') {
      return this.exit(EXIT_TRAP, `error: wasm trap in ${who}: ${error.message}`)
    }
    this.exit(EXIT_TRAP, `error: ${who} failed: ${error?.message ?? error}`)
  }
}

// The in-memory file tree ("/" preopened) holding the files the user named.
function fileTree (files) {
  const root = new Map()
  for (const { guest, bytes } of files) {
    const parts = guest.split('/').filter((part) => part !== '' && part !== '.')
    let dir = root
    for (const part of parts.slice(0, -1)) {
      if (!dir.has(part)) dir.set(part, new Directory(new Map()))
      dir = dir.get(part).contents
    }
    dir.set(parts[parts.length - 1], new File(new Uint8Array(bytes)))
  }
  return new PreopenDirectory('/', root)
}

// A WASI preview1 instance for one guest thread: args, env, clocks, random,
// stdout/stderr to the page, and the preloaded files under "/".
export function makeWasi ({ args, env, files }, output) {
  const fds = [
    new OpenFile(new File(new Uint8Array())),
    new ConsoleStdout((bytes) => output.write(1, bytes)),
    new ConsoleStdout((bytes) => output.write(2, bytes)),
    fileTree(files)
  ]
  const environ = Object.entries(env).map(([key, value]) => `${key}=${value}`)
  const wasi = new WASI(args, environ, fds, { debug: false })
  // crypto.getRandomValues refuses views of shared memory: fill a private
  // buffer and copy it in, rather than falling back to Math.random.
  wasi.wasiImport.random_get = (pointer, length) => {
    const bytes = new Uint8Array(length)
    for (let at = 0; at < length; at += 65536) {
      crypto.getRandomValues(bytes.subarray(at, at + 65536))
    }
    new Uint8Array(wasi.inst.exports.memory.buffer).set(bytes, pointer)
    return 0
  }
  // The library sizes arguments in UTF-16 units but writes them as UTF-8:
  // size them in UTF-8 bytes, or a non-ASCII argument overruns its buffer.
  wasi.wasiImport.args_sizes_get = (countPointer, sizePointer) => {
    const encoder = new TextEncoder()
    const view = new DataView(wasi.inst.exports.memory.buffer)
    view.setUint32(countPointer, args.length, true)
    view.setUint32(sizePointer, args.reduce((sum, arg) => sum + encoder.encode(arg).length + 1, 0), true)
    return 0
  }
  return wasi
}
