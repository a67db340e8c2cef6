import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Hostile files through the binary: exit codes and messages (the cases themselves are tested through
/// both readers in `TimelineCoreTests/HostileInputTests.swift`).
@Suite("hostile input through the CLI")
struct HostileInputCLITests {
  @Test("a file over the 4 GiB limit: exit 66 at once, naming the limit")
  func overTheLimit() throws {
    try withTemporaryDirectory { dir in
      let path = dir.appendingPathComponent("huge.json").path
      // Sparse: 4 GiB + 1 byte that take no disk and are never read.
      let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
      try #require(fd >= 0)
      #expect(ftruncate(fd, (4 << 30) + 1) == 0)
      close(fd)
      let message = "timeline: cannot read \(path): is 4294967297 bytes; the limit is 4294967296 bytes (4 GiB)\n"
      for args in [["list", "--data", path], ["validate", path]] {
        let r = run(args)
        #expect(r.status == 66, "\(r)")
        #expect(r.stdout == "")
        #expect(r.stderr == message, "\(r)")
      }
    }
  }

  @Test("a FIFO nobody writes to: read as an empty file (exit 65), no hang")
  func fifoWithoutAWriter() throws {
    try withTemporaryDirectory { dir in
      let path = dir.appendingPathComponent("fifo.json").path
      try #require(mkfifo(path, 0o600) == 0)
      let r = run(["list", "--data", path])
      #expect(r.status == 65, "\(r)")
      #expect(r.stderr == "\(path):1:1: the file is empty; expected a timeline document (a JSON object)\n", "\(r)")
    }
  }
}
