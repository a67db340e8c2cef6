import Foundation
import TimelineCore

#if canImport(Glibc)
  import Glibc
#endif

/// Long output on a terminal goes through a pager, as `git log` does: `TIMELINE_PAGER`, else the
/// configuration file's `pager`, else `PAGER`, else `less`. An empty value or `cat` means no pager. `LESS=FRX` is set when `LESS` is not (quit when
/// the text fits on one screen, keep colours, leave the text on the screen afterwards), and `LV=-c` for
/// `lv`, as git sets them.
enum Pager {
  /// The pager command to run, or nil for none; `configured` is the configuration file's, which comes
  /// after TIMELINE_PAGER and before PAGER.
  static func command(environment: [String: String], configured: String? = nil) -> String? {
    let chosen = environment["TIMELINE_PAGER"] ?? configured ?? environment["PAGER"] ?? "less"
    let trimmed = chosen.trimmingCharacters(in: .whitespaces)
    return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
  }

  /// Writes `text` through the pager and waits for it to end. Returns false when the pager could not be
  /// run (no shell, or the shell could not find or run the command: exit 127 or 126), so that the caller
  /// prints the text directly instead of losing it.
  static func page(_ text: String, command: String) -> Bool {
    var environment = ProcessInfo.processInfo.environment
    if environment["LESS"] == nil { environment["LESS"] = "FRX" }
    if environment["LV"] == nil { environment["LV"] = "-c" }

    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return false }
    let (readEnd, writeEnd) = (fds[0], fds[1])
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
    posix_spawn_file_actions_addclose(&actions, writeEnd)

    let argv = ["/bin/sh", "-c", command]
    let envp = environment.map { "\($0.key)=\($0.value)" }
    var pid: pid_t = 0
    let spawned = withCStrings(argv) { cArgv in
      withCStrings(envp) { cEnvp in posix_spawn(&pid, "/bin/sh", &actions, nil, cArgv, cEnvp) }
    }
    close(readEnd)
    guard spawned == 0 else {
      close(writeEnd)
      return false
    }
    // A pager quit before the end (q in less) closes the pipe: the write fails with EPIPE instead of
    // the signal ending this process, and the rest is simply not written.
    signal(SIGPIPE, SIG_IGN)
    Output.write(text, to: writeEnd)
    close(writeEnd)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exited = status & 0x7F == 0
    let code = (status >> 8) & 0xFF
    return !(exited && (code == 126 || code == 127))
  }

  private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return body(pointers)
  }
}
