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
  @Test("a file over 4 GiB that is not a timeline: exit 65 at once, with its place (streamed, not read whole); over 8 GiB: exit 66, unread")
  func overTheMemoryLimit() throws {
    try withTemporaryDirectory { dir in
      let path = dir.appendingPathComponent("huge.json").path
      // Sparse: 4 GiB + 1 byte that take no disk; the first byte shows it is not a timeline.
      let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
      try #require(fd >= 0)
      #expect(ftruncate(fd, (4 << 30) + 1) == 0)
      close(fd)
      let message = "\(path):1:1: not a valid timeline here; a file over 4 GiB is read only by the fast reader, "
        + "which stops at the first problem without naming it (validate a part of the file to see why)\n"
      for args in [["list", "--data", path], ["validate", path]] {
        let r = run(args)
        #expect(r.status == 65, "\(r)")
        #expect(r.stdout == "")
        #expect(r.stderr == message, "\(r)")
      }
      // Past the 8 GiB limit: refused unread, naming the limit.
      #expect(truncate(path, (8 << 30) + 1) == 0)
      let limit = "timeline: cannot read \(path): is 8589934593 bytes; the limit is 8589934592 bytes (8 GiB)\n"
      for args in [["list", "--data", path], ["validate", path]] {
        let r = run(args)
        #expect(r.status == 66, "\(r)")
        #expect(r.stderr == limit, "\(r)")
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
