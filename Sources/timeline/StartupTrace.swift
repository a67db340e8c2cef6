import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// When `TIMELINE_STARTUP_TRACE` names a file, the explorer appends to it when each step of its start
/// ended (`<step> <milliseconds since the Unix epoch>`, one a line), so that the time to the first
/// screen can be split into its steps (`Sources/TimelineBench/first-screen.sh` passes it through). For
/// measuring only; nothing is written when the variable is unset.
enum StartupTrace {
  private static let path = ProcessInfo.processInfo.environment["TIMELINE_STARTUP_TRACE"].flatMap { $0.isEmpty ? nil : $0 }

  static func mark(_ step: @autoclosure () -> String) {
    guard let path else { return }
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    let ms = Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    let line = "\(step()) \(String(format: "%.1f", ms))\n"
    guard let handle = FileHandle(forWritingAtPath: path) ?? (FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil) else { return }
    handle.seekToEndOfFile()
    handle.write(Data(line.utf8))
    try? handle.close()
  }
}
