import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opens a web address with the system's opener, without leaving the explorer: `$BROWSER` when set (its
/// first entry, as a program name or path), else `open` on macOS and `xdg-open` elsewhere.
///
/// The program is started directly (`posix_spawnp`), never through a shell, with the address as its one
/// argument, so nothing in the address is interpreted. It runs in a session of its own with its input
/// and output on /dev/null: it cannot read keys meant for the explorer, write over the screen, or be
/// stopped by a Ctrl-C typed here. Only http, https and mailto addresses are opened: a data file's
/// "url" could otherwise start with `-` and pass as an option, or name a local program.
enum SystemOpener {
  static func program(environment: [String: String]) -> String {
    if let browser = environment["BROWSER"], let first = browser.split(separator: ":").first, !first.isEmpty {
      return String(first)
    }
    #if canImport(Darwin)
      return "open"
    #else
      return "xdg-open"
    #endif
  }

  /// Whether an address is one this opener hands out.
  static func isOpenable(_ url: String) -> Bool {
    let lower = url.lowercased()
    return ["http://", "https://", "mailto:"].contains { lower.hasPrefix($0) } && !url.contains { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }
  }

  /// Starts the opener; `finished` is called on another thread with nil when it exited with 0, or what
  /// went wrong. Returns what went wrong at once when it could not even start.
  static func open(_ url: String, environment: [String: String], finished: @escaping @Sendable (String?) -> Void) -> String? {
    guard isOpenable(url) else { return "not opened: only http, https and mailto addresses are" }
    let program = program(environment: environment)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in [0, 1, 2] {
      posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    #if os(Linux)
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
    for sig in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGWINCH, SIGTSTP, SIGCHLD] { sigaddset(&defaults, sig) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
    #if os(Linux)
      flags |= 0x80  // POSIX_SPAWN_SETSID (glibc 2.26), which Swift's Glibc module does not import.
    #endif
    posix_spawnattr_setflags(&attributes, Int16(flags))

    var argv: [UnsafeMutablePointer<CChar>?] = [strdup(program), strdup(url), nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, program, &actions, &attributes, &argv, environ)
    guard rc == 0 else {
      if rc == ENOENT { return "cannot open: \(program) not found (set BROWSER to your browser)" }
      return "cannot open: \(program): \(String(cString: strerror(rc)).lowercased())"
    }
    // Reaped on a thread of its own so that the explorer never waits for a browser.
    let name = program
    let child = pid
    Thread.detachNewThread {
      var status: Int32 = 0
      while waitpid(child, &status, 0) < 0 && errno == EINTR {}
      let exited = status & 0x7F == 0
      let code = (status >> 8) & 0xFF
      finished(exited && code == 0 ? nil : exited ? "\(name) failed (exit \(code))" : "\(name) was stopped by signal \(status & 0x7F)")
    }
    return nil
  }

  #if os(Linux)
    /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc module does not import:
    /// the opener must not inherit the explorer's open files (the data file, the terminal's extra fds).
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
      unsafeBitCast($0, to: CloseFrom.self)
    }
  #endif
}
