import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the explorer on a pseudo-terminal of its own (120×40) and returns every byte it wrote: what a
/// terminal receives, control sequences included, which tmux would interpret rather than show. `keys`
/// are typed one group at a time, `pause` apart, once the first frame is out.
func runOnPty(
  _ arguments: [String], environment: [String: String], keys: [String], pause: useconds_t = 300_000,
  timeout: Duration = .seconds(20)
) throws -> (status: Int32, output: [UInt8]) {
  let binary = try TimelineBinary.require()
  // posix_openpt and ptsname are not in Swift's Glibc module: the ioctls glibc uses for them (unlock,
  // number), and TIOCSWINSZ for the size.
  let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
  var unlock: CInt = 0
  var number: CUnsignedInt = 0
  guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
    throw E2EFailure("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
  }
  defer { close(master) }
  var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
  _ = ioctl(master, 0x5414, &size)
  let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
  guard slave >= 0 else { throw E2EFailure("cannot open /dev/pts/\(number)") }

  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_adddup2(&actions, slave, fd) }
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var mask = sigset_t()
  sigemptyset(&mask)
  posix_spawnattr_setsigmask(&attributes, &mask)
  // A session of its own (POSIX_SPAWN_SETSID), so that the terminal's signals are its alone.
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK) | 0x80)
  var env = ProcessInfo.processInfo.environment
  for name in ["TMUX", "TMUX_PANE", "NO_COLOR", "SWIFT_BACKTRACE"] { env[name] = nil }
  env["SWIFT_BACKTRACE"] = "enable=no"
  env["TERM"] = "xterm-256color"
  env["LANG"] = "C.UTF-8"
  for (k, v) in environment { env[k] = v }
  var argv = ([binary.path] + arguments).map { strdup($0) } + [nil]
  var envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer {
    for p in argv { free(p) }
    for p in envp { free(p) }
  }
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, binary.path, &actions, &attributes, &argv, &envp)
  close(slave)
  guard rc == 0 else { throw E2EFailure("cannot start \(binary.path): errno \(rc)") }

  // Read on another thread while the keys are typed; the read ends when the program's end closes the
  // terminal (EIO).
  final class Output: @unchecked Sendable { var bytes: [UInt8] = [] }
  let output = Output()
  let done = DispatchSemaphore(value: 0)
  Thread.detachNewThread {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = read(master, &chunk, chunk.count)
      if n > 0 {
        output.bytes += chunk[0..<n]
      } else if n < 0 && errno == EINTR {
        continue
      } else {
        break
      }
    }
    done.signal()
  }
  usleep(1_500_000)
  for group in keys {
    _ = group.utf8CString.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count - 1) }
    usleep(pause)
  }
  var status: Int32 = 0
  let clock = ContinuousClock()
  let deadline = clock.now + timeout
  while waitpid(pid, &status, WNOHANG) == 0 {
    if clock.now >= deadline {
      kill(pid, SIGKILL)
      waitpid(pid, &status, 0)
      throw E2EFailure("the explorer did not end within \(timeout) after \(keys)")
    }
    usleep(50_000)
  }
  _ = done.wait(timeout: .now() + 5)
  return ((status >> 8) & 0xFF, output.bytes)
}

extension Array where Element == UInt8 {
  /// Whether `needle` occurs in these bytes.
  func contains(_ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
    return (0...(count - needle.count)).contains { i in self[i..<(i + needle.count)].elementsEqual(needle) }
  }
}
