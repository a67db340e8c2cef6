import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failed step of an end-to-end test; thrown so the test stops at the first thing that went wrong,
/// with the screen as it was in the message.
struct E2EFailure: Error, CustomStringConvertible {
  var description: String
  init(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    description = "\(message)\n(at \(sourceLocation.fileName):\(sourceLocation.line))"
  }
}

/// What a finished helper process (tmux itself) printed.
struct ToolResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs `executable` to completion and collects what it printed.
///
/// Spawned with `posix_spawn` rather than `Process` so that the child starts clean: an empty signal
/// mask and default signal dispositions (test-runner threads block signals, and a tmux server started
/// from one would otherwise keep them blocked, and pass them on to the app in its pane), and no
/// descriptors but its standard ones, so a tmux server started by one call cannot hold another call's
/// pipes open (`readDataToEndOfFile` on them would then wait for that server to exit).
func runTool(_ executable: URL, _ args: [String], environment: [String: String]? = nil) throws -> ToolResult {
  // Pipes are made close-on-exec under a lock that spawns also take, so no child started by another
  // thread can slip in between pipe() and fcntl() and inherit one.
  spawnLock.lock()
  var locked = true
  defer { if locked { spawnLock.unlock() } }
  var outPipe: [Int32] = [-1, -1]
  var errPipe: [Int32] = [-1, -1]
  guard pipe(&outPipe) == 0 else { throw E2EFailure("pipe: errno \(errno)") }
  guard pipe(&errPipe) == 0 else {
    close(outPipe[0]); close(outPipe[1])
    throw E2EFailure("pipe: errno \(errno)")
  }
  for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
  posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
  #if os(Linux)
    // Descriptors opened elsewhere in this process without close-on-exec (other tests' pipes) must not
    // end up held open by a long-lived tmux server.
    _ = addCloseFrom?(&actions, 3)
  #endif

  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var mask = sigset_t()
  sigemptyset(&mask)
  posix_spawnattr_setsigmask(&attributes, &mask)
  var defaults = sigset_t()
  sigemptyset(&defaults)
  for sig in 1..<32 where sig != SIGKILL && sig != SIGSTOP { sigaddset(&defaults, Int32(sig)) }
  posix_spawnattr_setsigdefault(&attributes, &defaults)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

  let argv = [executable.path] + args
  let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
  var cArgv = argv.map { strdup($0) } + [nil]
  var cEnv = env.map { strdup($0) } + [nil]
  defer {
    for p in cArgv { free(p) }
    for p in cEnv { free(p) }
  }
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, executable.path, &actions, &attributes, &cArgv, &cEnv)
  close(outPipe[1])
  close(errPipe[1])
  spawnLock.unlock()
  locked = false
  guard rc == 0 else {
    close(outPipe[0]); close(errPipe[0])
    throw E2EFailure("cannot start \(executable.path): errno \(rc)")
  }

  // Read both pipes until both are closed.
  var out: [UInt8] = []
  var err: [UInt8] = []
  var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
  var buffer = [UInt8](repeating: 0, count: 65536)
  var open = 2
  while open > 0 {
    if poll(&fds, nfds_t(fds.count), -1) < 0 {
      if errno == EINTR { continue }
      break
    }
    for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
      let n = read(fds[i].fd, &buffer, buffer.count)
      if n > 0 {
        if i == 0 { out += buffer[..<n] } else { err += buffer[..<n] }
      } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
        close(fds[i].fd)
        fds[i].fd = -1
        open -= 1
      }
    }
  }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  return ToolResult(status: exitStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}

private let spawnLock = NSLock()

#if os(Linux)
  /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc module does not import.
  private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
  private let addCloseFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
    unsafeBitCast($0, to: CloseFrom.self)
  }
#endif

/// Quotes `text` for a POSIX shell.
func shellQuote(_ text: String) -> String {
  if !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0)) }) {
    return text
  }
  return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

// MARK: - Locating tmux and the binary

enum Tmux {
  /// The `tmux` executable on PATH, if any.
  static let executable: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") where !dir.isEmpty {
      let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("tmux")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }()

  /// Whether `tmux -V` runs here; the end-to-end suites are disabled (with this as the reason) otherwise.
  static let isAvailable: Bool = {
    guard let executable else { return false }
    return (try? runTool(executable, ["-V"]))?.status == 0
  }()
}

/// Where the `timeline` executable is: next to the test runner, in the same build products directory
/// (`<scratch>/debug/`), whatever `--scratch-path` the tests were built with; else `.build/debug/` of
/// the package. `TIMELINE_BINARY` overrides it.
enum TimelineBinary {
  static let lookup: (url: URL?, searched: [String]) = locate()

  /// The binary, or a failure that says where it was looked for.
  static func require() throws -> URL {
    if let url = lookup.url { return url }
    throw E2EFailure(
      """
      The timeline executable was not found. Looked for:
        \(lookup.searched.joined(separator: "\n  "))
      Build it with the tests (swift build --build-tests --scratch-path ...), or set TIMELINE_BINARY.
      """)
  }

  private static func locate() -> (URL?, [String]) {
    let fm = FileManager.default
    if let override = ProcessInfo.processInfo.environment["TIMELINE_BINARY"], !override.isEmpty {
      return (fm.isExecutableFile(atPath: override) ? URL(fileURLWithPath: override) : nil, [override])
    }
    // The running test executable (Linux: <products>/timelinePackageTests.xctest), and any loaded
    // .xctest bundle (macOS: <products>/timelinePackageTests.xctest/Contents/MacOS/...).
    var anchors: [URL] = []
    if let exe = Bundle.main.executableURL { anchors.append(exe) }
    #if os(Linux)
      if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") { anchors.append(URL(fileURLWithPath: exe)) }
    #endif
    if let arg0 = CommandLine.arguments.first, !arg0.isEmpty {
      anchors.append(URL(fileURLWithPath: arg0, relativeTo: URL(fileURLWithPath: fm.currentDirectoryPath)))
    }
    anchors += Bundle.allBundles.map(\.bundleURL)

    var directories: [URL] = []
    for anchor in anchors {
      for url in [anchor.standardizedFileURL, anchor.resolvingSymlinksInPath()] {
        var bundle = url
        while bundle.path != "/" && bundle.pathExtension != "xctest" { bundle = bundle.deletingLastPathComponent() }
        let dir = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : url.deletingLastPathComponent()
        if !directories.contains(dir) { directories.append(dir) }
      }
    }
    // Fallback: the default scratch path of the package this file belongs to.
    directories.append(PackageFiles.root.appendingPathComponent(".build/debug"))
    let searched = directories.map { $0.appendingPathComponent("timeline").path }
    for path in searched {
      var isDirectory: ObjCBool = false
      if fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, fm.isExecutableFile(atPath: path) {
        return (URL(fileURLWithPath: path), searched)
      }
    }
    return (nil, searched)
  }
}

enum PackageFiles {
  /// The package root, found from this file's path (Tests/TimelineE2ETests/Support/Tmux.swift).
  static let root: URL = {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while dir.path != "/" {
      if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
      dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }()
}

// MARK: - A tmux session

/// One detached tmux session on a private server (`tmux -L <unique socket> -f /dev/null`), so tests can
/// run in parallel and never touch the user's own tmux. The server is killed, and its socket removed,
/// by `kill()` or when the session is released.
///
/// The pane runs `bash -c '<script>'`; `runTimeline` wraps the binary so the pane survives it and then
/// shows how it ended (`EXIT=<status>`) and the terminal's modes (`stty -a`).
final class TmuxSession {
  let socket: String
  let target = "e2e"
  let width: Int
  let height: Int
  private let tmux: URL
  private let environment: [String: String]
  private var socketPath: String?
  private var killed = false
  /// Where the app keeps its history unless the test said otherwise; removed with the session.
  private let stateDirectory: URL

  /// Starts `script` in bash in a new detached `width`×`height` pane (TERM is tmux's default,
  /// tmux-256color). `environment` is exported in the pane; `directory` is its working directory.
  init(
    script: String, environment: [String: String] = [:], directory: URL? = nil, width: Int = 120, height: Int = 40
  ) throws {
    guard let tmux = Tmux.executable else { throw E2EFailure("tmux is not installed") }
    self.tmux = tmux
    self.width = width
    self.height = height
    socket = "timeline-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"

    // The tmux server inherits this environment: no outer tmux, no NO_COLOR from the caller, a UTF-8
    // locale, and no crash backtracer holding a raw terminal for seconds.
    var env = ProcessInfo.processInfo.environment
    for name in ["TMUX", "TMUX_PANE", "NO_COLOR", "SWIFT_BACKTRACE"] { env[name] = nil }
    // The explorer draws ASCII only where the locale is not UTF-8; the tests that want that set it.
    let locale = (env["LC_ALL"] ?? env["LC_CTYPE"] ?? env["LANG"] ?? "").lowercased()
    if !locale.contains("utf-8") && !locale.contains("utf8") {
      env["LC_ALL"] = nil
      env["LC_CTYPE"] = nil
      env["LANG"] = "C.UTF-8"
    }
    self.environment = env

    // The prompts' history goes to a directory of this session's, not the user's state directory
    // (a test that wants to see it again passes its own XDG_STATE_HOME).
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("timeline-e2e-state-\(socket)")
    stateDirectory = state
    let exports = environment.merging(["SWIFT_BACKTRACE": "enable=no", "XDG_STATE_HOME": state.path]) { mine, _ in mine }
      .sorted { $0.key < $1.key }
      .map { "export \($0.key)=\(shellQuote($0.value)); " }.joined()
    var args = ["new-session", "-d", "-s", target, "-x", "\(width)", "-y", "\(height)"]
    if let directory { args += ["-c", directory.path] }
    args += ["/bin/bash", "--norc", "--noprofile", "-c", exports + script]
    let r = try tmuxCommand(args)
    guard r.status == 0 else {
      throw E2EFailure("tmux new-session failed (\(r.status)): \(r.stderr)")
    }
    socketPath = try? display("#{socket_path}")
  }

  /// Runs the binary in a pane the way a user would from a shell, then prints `EXIT=<status>` and
  /// `stty -a`, and keeps the pane open. The shell ignores SIGINT and SIGTERM so that it outlives an
  /// app killed by them (bash otherwise exits with a child that died of SIGINT).
  static func runTimeline(
    _ arguments: [String] = [], stdinFromPipe: Bool = false, environment: [String: String] = [:],
    directory: URL? = nil, width: Int = 120, height: Int = 40
  ) throws -> TmuxSession {
    let binary = try TimelineBinary.require()
    let command = ([binary.path] + arguments).map(shellQuote).joined(separator: " ")
    let script = "trap : INT TERM; \(stdinFromPipe ? "echo | " : "")\(command); echo EXIT=$?; stty -a; exec sleep 600"
    return try TmuxSession(script: script, environment: environment, directory: directory, width: width, height: height)
  }

  deinit { kill() }

  /// Kills this session's private tmux server (and with it the pane's processes).
  func kill() {
    guard !killed else { return }
    killed = true
    _ = try? tmuxCommand(["kill-server"])
    if let socketPath { unlink(socketPath) }
    try? FileManager.default.removeItem(at: stateDirectory)
  }

  @discardableResult
  private func tmuxCommand(_ args: [String]) throws -> ToolResult {
    try runTool(tmux, ["-L", socket, "-f", "/dev/null", "-u"] + args, environment: environment)
  }

  private func checked(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let r = try tmuxCommand(args)
    guard r.status == 0 else {
      throw E2EFailure("tmux \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)", sourceLocation: sourceLocation)
    }
    return r.stdout
  }

  // MARK: Input

  /// Sends keys by tmux name (`Enter`, `Escape`, `C-c`, `Up`) or as plain characters (`j`).
  func sendKeys(_ keys: String..., sourceLocation: SourceLocation = #_sourceLocation) throws {
    _ = try checked(["send-keys", "-t", target] + keys, sourceLocation: sourceLocation)
  }

  /// Types `text` literally (no key-name lookup).
  func sendLiteral(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    _ = try checked(["send-keys", "-t", target, "-l", text], sourceLocation: sourceLocation)
  }

  /// Resizes the window (the app gets SIGWINCH).
  func resize(width: Int, height: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    _ = try checked(["resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"], sourceLocation: sourceLocation)
  }

  // MARK: Output

  /// The pane's text, one line per row (`capture-pane -p`); with `escapes`, with SGR attributes (`-e`).
  func capture(escapes: Bool = false) throws -> String {
    try checked(["capture-pane", "-p", "-t", target] + (escapes ? ["-e"] : []))
  }

  /// Runs a tmux command on this session's server (`set -g set-clipboard on`, `show-buffer`) and returns
  /// what it printed.
  @discardableResult
  func command(_ args: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try checked(args, sourceLocation: sourceLocation)
  }

  /// A tmux format evaluated for the pane (`display -p`), without the line end.
  func display(_ format: String) throws -> String {
    var out = try checked(["display-message", "-p", "-t", target, format])
    while out.hasSuffix("\n") { out.removeLast() }
    return out
  }

  /// Whether the pane is on the alternate screen.
  var paneAlternateOn: Bool { get throws { try display("#{alternate_on}") == "1" } }

  var paneTitle: String { get throws { try display("#{pane_title}") } }

  /// The pid of the shell that tmux started for the pane.
  var panePID: pid_t { get throws { pid_t(try display("#{pane_pid}")) ?? -1 } }

  // MARK: Waiting

  /// Polls the screen every 50 ms until it contains `text`; returns that screen. Fails after
  /// `timeout` with the last screen in the message.
  @discardableResult
  func waitFor(
    _ text: String, timeout: Duration = .seconds(5), escapes: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> String {
    try await waitUntil("the screen shows \"\(text)\"", timeout: timeout, escapes: escapes, sourceLocation: sourceLocation) {
      $0.contains(text)
    }
  }

  /// Polls until `text` is no longer on the screen.
  @discardableResult
  func waitForGone(
    _ text: String, timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> String {
    try await waitUntil("\"\(text)\" is gone from the screen", timeout: timeout, sourceLocation: sourceLocation) {
      !$0.contains(text)
    }
  }

  /// Polls the screen every 50 ms until `condition` holds for it.
  @discardableResult
  func waitUntil(
    _ what: String, timeout: Duration = .seconds(5), escapes: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool
  ) async throws -> String {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var screen = ""
    while true {
      screen = try capture(escapes: escapes)
      if condition(screen) { return screen }
      if clock.now >= deadline { break }
      // A blocking sleep, not `Task.sleep`: on two cores the test pool's threads can all be held by
      // other tests' blocking work for tens of seconds, and a suspended poll then resumed only after
      // the screen it was waiting for had come and gone (the loading screen, in the full suite on a fresh clone).
      usleep(50_000)
    }
    throw E2EFailure("timed out after \(timeout) waiting until \(what). Last screen:\n\(framed(screen))", sourceLocation: sourceLocation)
  }

  /// Waits for the wrapper script's report after the app ended: its exit status and `stty -a` output.
  func waitForExit(timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation) async throws -> (
    status: Int, stty: String, screen: String
  ) {
    let screen = try await waitUntil("the app has exited and stty -a has run", timeout: timeout, sourceLocation: sourceLocation) {
      guard let r = $0.range(of: "EXIT=") else { return false }
      return $0[r.upperBound...].contains("iexten")  // the local-modes line of stty -a (Linux and BSD)
    }
    let after = screen[screen.range(of: "EXIT=")!.upperBound...]
    let digits = after.prefix { $0.isNumber }
    guard let status = Int(digits) else { throw E2EFailure("no exit status after EXIT=:\n\(framed(screen))", sourceLocation: sourceLocation) }
    return (status, String(after.drop { $0 != "\n" }), screen)
  }

  /// Polls until the pane's shell has a child process named `name` (the app) and returns its pid.
  func childPID(named name: String = "timeline", timeout: Duration = .seconds(5)) async throws -> pid_t {
    let parent = try panePID
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
      if let pid = Self.children(of: parent).first(where: { $0.name == name })?.pid { return pid }
      usleep(50_000)  // blocking, as in waitUntil
    }
    throw E2EFailure("no child process \(name) of the pane's shell (pid \(parent)) after \(timeout)")
  }

  private static func children(of parent: pid_t) -> [(pid: pid_t, name: String)] {
    let fm = FileManager.default
    if let entries = try? fm.contentsOfDirectory(atPath: "/proc") {
      // Linux: /proc/<pid>/stat is "pid (comm) state ppid ...".
      var found: [(pid_t, String)] = []
      for entry in entries {
        guard let pid = pid_t(entry),
          let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
          let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
        else { continue }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.count > 1, pid_t(fields[1]) == parent {
          found.append((pid, String(stat[stat.index(after: open)..<close])))
        }
      }
      return found
    }
    // Elsewhere: pgrep -P, naming each child with ps.
    guard let r = try? runTool(URL(fileURLWithPath: "/usr/bin/env"), ["pgrep", "-P", "\(parent)"]) else { return [] }
    return r.stdout.split(separator: "\n").compactMap { pid_t($0) }.map { pid in
      let name = (try? runTool(URL(fileURLWithPath: "/bin/ps"), ["-o", "comm=", "-p", "\(pid)"]))?.stdout ?? ""
      return (pid, URL(fileURLWithPath: name.trimmingCharacters(in: .whitespacesAndNewlines)).lastPathComponent)
    }
  }
}

// MARK: - Reading the screen

/// The screen between rulers, for failure messages.
func framed(_ screen: String) -> String {
  let rule = String(repeating: "─", count: 40)
  return "┌\(rule)\n\(screen)\(screen.hasSuffix("\n") ? "" : "\n")└\(rule)"
}

/// The selected row of the event list: the line that starts with "▸".
func selectedRow(_ screen: String) -> String? {
  screen.split(separator: "\n", omittingEmptySubsequences: false).first { $0.hasPrefix("▸") }.map(String.init)
}

/// Whether `row` shows `title`, whole or cut short with "…" (the list column is narrower than a title).
func rowShows(_ row: String, _ title: String) -> Bool {
  if row.contains(title) { return true }
  let characters = Array(title)
  for k in stride(from: characters.count - 1, through: min(15, characters.count), by: -1) {
    var prefix = String(characters[..<k])
    while prefix.hasSuffix(" ") { prefix.removeLast() }
    if row.contains(prefix + "…") { return true }
  }
  return false
}

/// The whitespace-separated words of `stty -a` output.
func sttyWords(_ stty: String) -> Set<String> {
  Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
}

/// Checks what the wrapper script printed after the app ended: the exit status, and that the terminal
/// is back to normal (main screen, canonical mode, echo).
func expectRestored(
  _ session: TmuxSession, status expected: Int, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
  let exit = try await session.waitForExit(sourceLocation: sourceLocation)
  #expect(exit.status == expected, "exit status\n\(framed(exit.screen))", sourceLocation: sourceLocation)
  #expect(try !session.paneAlternateOn, "still on the alternate screen", sourceLocation: sourceLocation)
  let words = sttyWords(exit.stty)
  #expect(words.contains("icanon") && !words.contains("-icanon"), "canonical mode not restored:\n\(exit.stty)", sourceLocation: sourceLocation)
  #expect(words.contains("echo") && !words.contains("-echo"), "echo not restored:\n\(exit.stty)", sourceLocation: sourceLocation)
}
