#if canImport(Glibc)
  import Glibc
#endif
import TimelineCore

/// Writing to standard output and standard error without Foundation's buffering surprises.
///
/// Messages go to standard error prefixed with "timeline: "; the text has been made terminal-safe by
/// whoever built it (`TerminalSafety.sanitized` on anything from a data file).
enum Output {
  static func write(_ text: String) { writeAll(STDOUT_FILENO, text) }

  static func error(_ message: String) { writeAll(STDERR_FILENO, "timeline: \(message)\n") }

  /// Diagnostics are already "file:line:col: ..." lines; print them as they are.
  static func errorLines(_ text: String) { writeAll(STDERR_FILENO, text + "\n") }

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
