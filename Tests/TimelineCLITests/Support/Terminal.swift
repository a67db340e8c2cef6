import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the built `timeline` with its standard output and standard error on a pseudo-terminal (in raw
/// mode, so the bytes are the program's own), as when a person runs it in a shell; standard input is
/// /dev/null. `env` adds to the inherited environment (nil removes a variable). Returns the exit status
/// and everything written to the terminal.
func runOnTerminal(
  _ args: [String], env: [String: String?] = [:], in directory: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation
) -> (status: Int32, output: String) {
  guard let binary = TimelineBinary.url else {
    Issue.record("The timeline executable was not found next to the test runner.", sourceLocation: sourceLocation)
    return (-1, "")
  }
  // posix_openpt and ptsname are not in Swift's Glibc module; these are the ioctls glibc uses for them
  // (TIOCSPTLCK and TIOCGPTN, whose _IOW/_IOR macros Swift does not import; the same on x86-64 and arm64).
  let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
  var unlock: CInt = 0
  var number: CUnsignedInt = 0
  guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
    Issue.record("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))", sourceLocation: sourceLocation)
    return (-1, "")
  }
  let name = "/dev/pts/\(number)"
  let slave = open(name, O_RDWR | O_NOCTTY)
  var attributes = termios()
  tcgetattr(slave, &attributes)
  cfmakeraw(&attributes)
  tcsetattr(slave, TCSANOW, &attributes)

  let process = Process()
  process.executableURL = binary
  process.arguments = args
  var environment = ProcessInfo.processInfo.environment
  // The user's configuration file is not read unless `env` says where configuration comes from.
  if !env.keys.contains(where: ["TIMELINE_CONFIG", "XDG_CONFIG_HOME", "HOME"].contains) { environment["TIMELINE_CONFIG"] = "" }
  for (name, value) in env { environment[name] = value }
  process.environment = environment
  if let directory { process.currentDirectoryURL = directory }
  let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
  process.standardOutput = terminal
  process.standardError = terminal
  process.standardInput = FileHandle.nullDevice
  do {
    try process.run()
  } catch {
    Issue.record("cannot start \(binary.path): \(error)", sourceLocation: sourceLocation)
    close(slave)
    close(master)
    return (-1, "")
  }
  close(slave)
  // Read until the program's end closes the terminal's last descriptor (read then fails with EIO).
  var output = [UInt8]()
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = read(master, &chunk, chunk.count)
    if n > 0 {
      output += chunk[0..<n]
    } else if n < 0 && errno == EINTR {
      continue
    } else {
      break
    }
  }
  process.waitUntilExit()
  close(master)
  return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}
