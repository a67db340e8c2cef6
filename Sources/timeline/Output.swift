#if canImport(Glibc)
  import Glibc
#endif
import TimelineCore

/// Writing to standard output and standard error without Foundation's buffering surprises.
///
/// Messages go to standard error prefixed with "timeline: ". They are made terminal-safe here, line by
/// line, because they quote text from outside: file names and names suggested from a data file.
enum Output {
  static func write(_ text: String) { writeAll(STDOUT_FILENO, text) }

  static func error(_ message: String) { writeAll(STDERR_FILENO, "timeline: \(TerminalSafety.sanitized(message))\n") }

  /// Diagnostics are already "file:line:col: ..." lines; print them as they are, each made terminal-safe.
  static func errorLines(_ text: String) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalSafety.sanitized(String($0)) }
    writeAll(STDERR_FILENO, lines.joined(separator: "\n") + "\n")
  }

  private static func writeAll(_ fd: Int32, _ text: String) {
    var copy = text
    copy.withUTF8 { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return  // A closed pipe: nothing more to say (SIGPIPE normally ends us first).
        }
        offset += n
      }
    }
  }
}
