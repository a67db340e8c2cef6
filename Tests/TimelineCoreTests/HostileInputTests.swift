import Foundation
import Testing
@testable import TimelineCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Hostile input: bytes that are not UTF-8, NULs, enormous strings and numbers, deep nesting, files that
// are not files (directories, FIFOs with and without a writer), files that change while they are read,
// and files over the size limit. Every case has a defined outcome, asserted through both readers: the
// reference decoder over bytes in memory, and `TimelineLoader` streaming the same bytes from a file (its
// fast parser hands anything unusual to the reference decoder, so the two must always agree).

/// What reading a timeline came to, in a form two readers can be compared by.
private enum ReadOutcome: Equatable, CustomStringConvertible {
  /// Loaded: a line per fact about the timeline (see `fingerprint`).
  case loaded([String])
  case invalid([Diagnostic])
  case cannotRead(String)

  var description: String {
    switch self {
    case .loaded(let lines): "loaded: \(lines.prefix(3).map { $0.prefix(120) })…"
    case .invalid(let list): "invalid:\n" + list.map(\.description).joined(separator: "\n")
    case .cannotRead(let m): "cannot read: \(m)"
    }
  }

  var diagnostics: [Diagnostic] {
    if case .invalid(let list) = self { return list }
    return []
  }

  /// Everything a reader exposes about a timeline, event by event.
  static func fingerprint(_ t: Timeline) -> [String] {
    var out = [
      "title \(t.title)", "description \(t.description)", "people \(t.people.map(\.id))", "sources \(t.sources.map(\.id))",
      "eras \(t.eras.map(\.id))", "tags \(t.tags)", "count \(t.count)",
    ]
    for i in 0..<t.count {
      out.append(
        [
          t.id(at: i), "\(t.date(at: i))", t.endDate(at: i).map { "\($0)" } ?? "-", t.title(at: i), t.summary(at: i),
          t.notes(at: i) ?? "-", "\(t.countryCodes(at: i))", "\(t.personIndexes(at: i).map { t.people[Int($0)].id })",
          "\(t.tagIndexes(at: i).map { t.tags[Int($0)] })", "\(t.sourceIndexes(at: i).map { t.sources[Int($0)].id })",
          "\(t.confidence(at: i))",
        ].joined(separator: " | "))
    }
    return out
  }
}

/// A scratch directory for one test.
private final class Scratch {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("timeline-hostile-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(at: url) }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let p = path(name)
    try Data(bytes).write(to: URL(fileURLWithPath: p))
    return p
  }
}

/// Reads `bytes` with both readers (the loader from a file, streaming forced) and records an issue if
/// they disagree. Returns the outcome, the loader's timeline when it loaded, and the path it took.
@discardableResult
private func readBoth(
  _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
) throws -> (outcome: ReadOutcome, timeline: Timeline?, path: String) {
  let scratch = try Scratch()
  let file = try scratch.write("case.json", bytes)
  let decoded: ReadOutcome
  do {
    decoded = .loaded(ReadOutcome.fingerprint(try TimelineDecoder.decode(bytes, fileName: file)))
  } catch {
    decoded = .invalid(error.diagnostics)
  }
  var timings = TimelineLoader.Timings()
  let loaded: ReadOutcome
  var timeline: Timeline?
  do {
    let t = try TimelineLoader.load(path: file, options: .init(forceStreaming: true), timings: &timings)
    timeline = t
    loaded = .loaded(ReadOutcome.fingerprint(t))
  } catch {
    switch error {
    case .invalid(let f): loaded = .invalid(f.diagnostics)
    case .cannotRead(let e): loaded = .cannotRead(e.description)
    case .cancelled: loaded = .cannotRead("cancelled")
    }
  }
  #expect(decoded == loaded, "the reference decoder and the streaming loader disagree", sourceLocation: sourceLocation)
  return (loaded, timeline, timings.path)
}

/// Checks a refusal: the diagnostics in full (file name aside), through both readers.
private func expectInvalid(
  _ bytes: [UInt8], _ expected: [(line: Int, column: Int, subject: String?, field: String?, message: String)],
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let (outcome, _, _) = try readBoth(bytes, sourceLocation: sourceLocation)
  let got = outcome.diagnostics
  guard case .invalid = outcome else {
    Issue.record("expected a refusal, got \(outcome)", sourceLocation: sourceLocation)
    return
  }
  #expect(got.count == expected.count, "\(outcome)", sourceLocation: sourceLocation)
  for (d, e) in zip(got, expected) {
    #expect(
      d.line == e.line && d.column == e.column && d.subject == e.subject && d.field == e.field && d.message == e.message,
      "got \(d.line):\(d.column) \(d.subject ?? "-") \(d.field ?? "-") \(d.message)", sourceLocation: sourceLocation)
  }
}

/// The raw document of `Fixture.raw` with one event whose title is `title` (raw bytes between the
/// quotes); the title starts at line 5, column 46.
private func documentWithTitle(_ title: [UInt8], extra: String = "") -> [UInt8] {
  let doc = Fixture.raw(events: [#"{"id": "e1", "date": "2020-08-25", "title": "@@", "confidence": "confirmed", "sources": ["afp"]"# + extra + "}"])
  let parts = doc.components(separatedBy: "@@")
  return Array(parts[0].utf8) + title + Array(parts[1].utf8)
}

/// Runs `body` on its own thread and waits at most `seconds` for it; nil if it did not finish.
private func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
  let box = LockedBox<T?>(nil)
  let done = DispatchSemaphore(value: 0)
  Thread.detachNewThread {
    box.set(body())
    done.signal()
  }
  guard done.wait(timeout: .now() + seconds) == .success else { return nil }
  return box.value
}

/// A value handed from another thread.
private final class LockedBox<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value
  init(_ value: Value) { stored = value }
  var value: Value { lock.withLock { stored } }
  func set(_ value: Value) { lock.withLock { stored = value } }
}

@Suite("Hostile input: bytes")
struct HostileBytesTests {
  // Line 5 of a raw document; the title's content starts at column 46.
  static let titleColumn = 46

  @Test("a lone continuation byte in a title")
  func loneContinuationByte() throws {
    try expectInvalid(
      documentWithTitle(Array("ab".utf8) + [0x80] + Array("cd".utf8)),
      [(5, Self.titleColumn + 2, "event \"e1\"", "title", "invalid UTF-8: byte 0x80 cannot start a character")])
  }

  @Test("an overlong encoding (C0 AF, a slash written in two bytes)")
  func overlong() throws {
    // "é" before it is one column of two bytes.
    try expectInvalid(
      documentWithTitle(Array("é".utf8) + [0xC0, 0xAF]),
      [(5, Self.titleColumn + 1, "event \"e1\"", "title", "invalid UTF-8: byte 0xC0 cannot start a character")])
  }

  @Test("a UTF-16 surrogate encoded in UTF-8 (ED A0 80)")
  func surrogate() throws {
    try expectInvalid(
      documentWithTitle(Array("東京".utf8) + [0xED, 0xA0, 0x80]),
      [(5, Self.titleColumn + 2, "event \"e1\"", "title", "invalid UTF-8: byte 0xA0 is not a valid continuation")])
  }

  @Test("a sequence cut by the end of the file")
  func truncatedAtTheEnd() throws {
    // The file ends two bytes into the three of "東".
    let doc = Array(Fixture.rawHead().utf8) + Array(#"{"id": "e1", "date": "2020-08-25", "title": "ab"#.utf8) + [0xE6, 0x9D]
    try expectInvalid(doc, [(5, Self.titleColumn + 2, "event \"e1\"", "title", "invalid UTF-8: the file ends inside a character")])
  }

  @Test("a UTF-8 byte-order mark: ignored by both readers, and not a column")
  func byteOrderMark() throws {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let good = Array(Fixture.raw(events: [Fixture.rawEvent("e1"), Fixture.rawEvent("e2", "2021")]).utf8)
    let (outcome, t, path) = try readBoth(bom + good)
    #expect(t?.count == 2 && t?.title == "Test timeline", "\(outcome)")
    #expect(path == "stream-1")
    #expect(try readBoth(good).outcome == outcome)
    // A BOM before a problem on line 1: the column is counted after it.
    try expectInvalid(
      bom + Array(#"{"title": 42, "description": "", "sources": [], "events": []}"#.utf8),
      [(1, 11, nil, "title", "expected a string, found a number")])
  }

  @Test("CRLF line ends: the same timeline, and the same lines and columns")
  func crlf() throws {
    let events = [Fixture.rawEvent("e1"), Fixture.rawEvent("e2", "2020-08", extra: #", "summary": "Deux\r\nlignes""#)]
    let lf = Fixture.raw(events: events)
    let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
    let (outcome, t, path) = try readBoth(Array(crlf.utf8))
    #expect(t?.count == 2, "\(outcome)")
    #expect(path == "stream-1")
    #expect(try readBoth(Array(lf.utf8)).outcome == outcome)
    #expect(t.flatMap { t in t.index(of: "e2").map { t.summary(at: $0) } } == "Deux\r\nlignes")

    let bad = Fixture.raw(events: [Fixture.rawEvent("e1"), Fixture.rawEvent("e2", "2020-02-30")]).replacingOccurrences(of: "\n", with: "\r\n")
    try expectInvalid(
      Array(bad.utf8), [(6, 22, "event \"e2\"", "date", #"invalid date "2020-02-30": the day must be 01 to 29 in that month"#)])
  }

  @Test("NUL bytes: refused raw inside a string and between tokens, accepted escaped")
  func nulBytes() throws {
    try expectInvalid(
      documentWithTitle(Array("a".utf8) + [0x00] + Array("b".utf8)),
      [(5, Self.titleColumn + 1, "event \"e1\"", "title", #"control character 0x00 inside a string; write it as an escape such as \n or \u00XX"#)])

    // Between two members of an event: where a key should start.
    let between = Fixture.raw(events: [#"{"id": "e1", "date": "2020-08-25",@@ "title": "T", "confidence": "confirmed", "sources": ["afp"]}"#])
      .components(separatedBy: "@@")
    try expectInvalid(
      Array(between[0].utf8) + [0x00] + Array(between[1].utf8),
      [(5, 35, "event \"e1\"", "date", "expected a string, found byte 0x00")])

    // After the document.
    try expectInvalid(
      Array(Fixture.raw(events: [Fixture.rawEvent("e1")]).utf8) + [0x00],
      [(7, 1, nil, nil, "unexpected byte 0x00 after the end of the timeline document")])

    // Escaped, a NUL is text like any other.
    let (outcome, t, _) = try readBoth(documentWithTitle(Array(#"a\u0000b"#.utf8)))
    #expect(t?.title(at: 0) == "a\u{0}b", "\(outcome)")
  }

  @Test("a title of a megabyte loads, and comes back whole")
  func megabyteTitle() throws {
    // Accents, CJK and emoji, so every byte of the fast path's UTF-8 check is exercised.
    let unit = "Ünïcödé 東京 🎉 plain ascii text "
    var title = ""
    while title.utf8.count < 1 << 20 { title += unit }
    let (outcome, t, path) = try readBoth(documentWithTitle(Array(title.utf8)))
    #expect(path == "stream-1")  // the text stays in the file and is read back from it
    #expect(t?.title(at: 0) == title, "\(outcome)")
    #expect(t?.title(at: 0).utf8.count == title.utf8.count)
  }

  @Test("a string at the 8 MiB limit loads; one byte longer is refused, naming the limit")
  func stringLimit() throws {
    let atLimit = [UInt8](repeating: UInt8(ascii: "a"), count: TextRef.maxLength)
    let (outcome, t, _) = try readBoth(documentWithTitle(atLimit))
    #expect(t?.title(at: 0).utf8.count == TextRef.maxLength, "\(outcome)")

    try expectInvalid(
      documentWithTitle(atLimit + [UInt8(ascii: "a")]),
      [(5, Self.titleColumn - 1, "event \"e1\"", "title", "string of 8388608 bytes is longer than the limit of 8388607 bytes")])
  }

  @Test("10,000 nested arrays in an extension field: refused at depth 65, no stack overflow")
  func deepNesting() throws {
    let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    // In an event: the value starts at column 107; the 65th bracket inside it is too deep.
    try expectInvalid(
      documentWithTitle(Array("T".utf8), extra: #", "x-deep": "# + deep),
      [(5, 107 + 65, "event \"e1\"", "x-deep", "values nested deeper than 64 levels")])
    // At the top level (the streaming loader reads the top-level members itself).
    let top = Fixture.raw(events: [Fixture.rawEvent("e1")], extraTop: #" "x-deep": "# + deep + ",")
    try expectInvalid(Array(top.utf8), [(1, 75 + 65, nil, "x-deep", "values nested deeper than 64 levels")])
    // Objects nest the same way.
    let objects = String(repeating: #"{"a": "#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
    try expectInvalid(
      Array(Fixture.raw(events: [Fixture.rawEvent("e1")], extraTop: #" "x-deep": "# + objects + ",").utf8),
      [(1, 75 + 65 * 6, nil, "x-deep", "values nested deeper than 64 levels")])
  }

  @Test("huge numbers in extension fields are accepted as they are")
  func hugeNumbers() throws {
    let digits = String(repeating: "7", count: 10_000)
    let numbers = "[1e999999, -1E-999999, \(digits), -0.\(digits)e+\(digits), 0, -0, 123456789012345678901234567890.5]"
    let doc = Fixture.raw(
      events: [Fixture.rawEvent("e1", extra: #", "x-big": "# + numbers)], extraTop: #" "x-big": "# + numbers + ",")
    let (outcome, t, _) = try readBoth(Array(doc.utf8))
    #expect(t?.count == 1, "\(outcome)")
    // And a malformed one is still refused.
    try expectInvalid(
      Array(Fixture.raw(events: [Fixture.rawEvent("e1")], extraTop: #" "x-big": 1e,"#).utf8),
      [(1, 74, nil, "x-big", "malformed number: no digit in the exponent")])
  }

  @Test("duplicate keys, in the document and in an event")
  func duplicateKeys() throws {
    let doc = Fixture.raw(
      events: [#"{"id": "e1", "date": "2020-08-25", "title": "T", "title": "U", "confidence": "confirmed", "sources": ["afp"]}"#],
      extraTop: #" "description": "again","#)
    try expectInvalid(
      Array(doc.utf8),
      [
        (1, 65, nil, "description", "duplicate key; each key may appear once in an object"),
        (5, 50, "event \"e1\"", "title", "duplicate key; each key may appear once in an event"),
      ])
  }

  @Test("an empty file, a file of whitespace, and an empty object")
  func emptyDocuments() throws {
    let empty = "the file is empty; expected a timeline document (a JSON object)"
    try expectInvalid([], [(1, 1, nil, nil, empty)])
    try expectInvalid(Array(" \n\t\r\n   ".utf8), [(3, 4, nil, nil, empty)])
    try expectInvalid(
      Array("{}".utf8),
      ["title", "description", "sources", "events"].map { (1, 1, nil, nil, "missing field \"\($0)\"") })
  }

  @Test("a top-level \"$schema\" (for editors) loads in both readers; one that is not a string is refused")
  func schemaKey() throws {
    let doc = Fixture.raw(events: [Fixture.rawEvent("e1")], extraTop: #" "$schema": "../Resources/timeline.schema.json","#)
    let (outcome, t, _) = try readBoth(Array(doc.utf8))
    #expect(t?.count == 1, "\(outcome)")
    let bad = Fixture.raw(events: [Fixture.rawEvent("e1")], extraTop: #" "$schema": 3,"#)
    try expectInvalid(Array(bad.utf8), [(1, 76, nil, "$schema", "expected a string, found a number")])
  }

  @Test("a timeline with no event loads, empty")
  func noEvents() throws {
    let (outcome, t, path) = try readBoth(Array(Fixture.raw(events: []).utf8))
    #expect(t?.count == 0, "\(outcome)")
    #expect(path == "stream-1")
    #expect(t?.evaluate(Query()) == [])
    #expect(t?.span == nil)
  }
}

@Suite("Hostile input: files that are not plain files")
struct HostileFilesTests {
  @Test("a directory cannot be read (exit 66), whichever path the loader would take")
  func directory() throws {
    let scratch = try Scratch()
    for streaming in [false, true] {
      #expect {
        try TimelineLoader.load(path: scratch.url.path, options: .init(forceStreaming: streaming))
      } throws: { error in
        guard case .cannotRead(let e) = error as? TimelineLoader.Failure else { return false }
        return e.message == "is a directory, not a timeline file"
      }
    }
  }

  @Test("a file over 4 GiB is streamed, not read whole; one that is not a timeline is refused at once, at its place (exit 65); over 8 GiB, refused unread (exit 66)")
  func overTheMemoryLimit() throws {
    let scratch = try Scratch()
    let path = scratch.path("huge.json")
    // Sparse: no disk is used, and the first byte (0) already shows it is not a timeline.
    let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
    try #require(fd >= 0)
    #expect(ftruncate(fd, off_t(TimelineFile.maxBytes + 1)) == 0)
    close(fd)
    for streaming in [false, true] {
      #expect {
        try TimelineLoader.load(path: path, options: .init(forceStreaming: streaming))
      } throws: { error in
        guard case .invalid(let failure) = error as? TimelineLoader.Failure, let d = failure.diagnostics.first else { return false }
        return failure.diagnostics.count == 1 && d.line == 1 && d.column == 1
          && d.message.hasPrefix("not a valid timeline here; a file over 4 GiB is read only by the fast reader")
      }
    }
    // Reading a file whole (what the reference decoder needs) is still limited.
    #expect(throws: TimelineFile.ReadError.self) { try TimelineFile.read(path: path) }
    // Past the streaming limit, refused before anything is read (exit 66).
    #expect(truncate(path, off_t(TimelineLoader.maxStreamedBytes + 1)) == 0)
    let message = "is 8589934593 bytes; the limit is 8589934592 bytes (8 GiB)"
    for streaming in [false, true] {
      #expect {
        try TimelineLoader.load(path: path, options: .init(forceStreaming: streaming))
      } throws: { error in
        guard case .cannotRead(let e) = error as? TimelineLoader.Failure else { return false }
        return e.message == message && "\(error)" == "cannot read \(path): \(message)"
      }
    }
  }

  @Test("events past 4 GiB: their text is found at its 64-bit offset and read back whole, escaped or not")
  func offsetsPast4GiB() throws {
    let scratch = try Scratch()
    let path = scratch.path("far.json")
    // A sparse file: the events start 5 GiB + 3 bytes in (what the second thread parses of a large
    // file), the bytes before are a hole that takes no disk and is never read.
    let start = (5 << 30) + 3
    let text = #"{"id": "far", "date": "2020-08-25", "title": "Zürich", "summary": "caf\u00e9 ☕", "confidence": "confirmed", "sources": ["afp"]},"#
      + "\n" + Fixture.rawEvent("farther") + "]}\n"
    let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
    try #require(fd >= 0)
    let written = Array(text.utf8).withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(start)) }
    close(fd)
    try #require(written == text.utf8.count)
    let file = try #require(FileText(path: path))
    var batch = EventBatch(expectedEvents: 2)
    var pos = 0
    let outcome = StreamingLoad.parseEvents(
      StreamWindow(file: file, start: start, capacity: 4096), &pos, into: &batch, split: nil, shared: StreamingLoad.Shared(),
      progressBase: 0, options: .init(forceStreaming: true), first: true)
    guard case .endOfArray(let end) = outcome else {
      Issue.record("stopped: \(outcome)")
      return
    }
    #expect(end == start + text.utf8.count - 2)
    let columns = EventBatch.columns(batch, nil, order: nil, firstIDs: .init(), secondIDs: .init())
    #expect(columns.titles.count == 2)
    #expect(columns.titles[0].offset == start + 46)
    #expect(columns.ids[1].offset > 1 << 32)
    let document = DocumentText(file: file)
    #expect(columns.ids.map(document.string) == ["far", "farther"])
    #expect(columns.titles.map(document.string) == ["Zürich", "T"])
    #expect(document.string(columns.summaries[0]) == "café ☕")
  }

  @Test("a file too large to read whole that is not valid: the line and column where the fast reader stopped, and why when it knows")
  func tooLargeToExplain() throws {
    let events = (1...300).map { Fixture.rawEvent("e\($0)") }
    var withBadDate = events
    withBadDate[199] = Fixture.rawEvent("e200", "2020-13-01")
    let scratch = try Scratch()
    var options = TimelineLoader.Options(forceStreaming: true, threads: 2, parallelThreshold: 0)
    options.windowSize = 4096
    options.memoryLimit = 1000
    func only(_ text: String) throws -> Diagnostic? {
      let path = scratch.path("large-\(text.utf8.count).json")
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      do {
        _ = try TimelineLoader.load(path: path, options: options)
        Issue.record("accepted")
        return nil
      } catch {
        guard case .invalid(let failure) = error else { return nil }
        #expect(failure.diagnostics.count == 1)
        return failure.diagnostics.first
      }
    }
    // Event 200 is on line 204 (events start on line 5): the place is the event's opening brace.
    let badDate = try only(Fixture.raw(events: withBadDate))
    #expect(badDate?.line == 204)
    #expect(badDate?.column == 1)
    #expect(badDate?.message.hasSuffix("without naming it (validate a part of the file to see why)") == true)
    // A problem only the whole file shows is named, without a place.
    let unknown = try only(Fixture.raw(events: events.enumerated().map { $0.offset == 250 ? Fixture.rawEvent("e251", extra: #", "people": ["nobody"]"#) : $0.element }))
    #expect(unknown?.line == 0)
    #expect(unknown?.message.hasPrefix(#"unknown person "nobody""#) == true)
    // Two events with one id: the id is named.
    let twice = try only(Fixture.raw(events: events.enumerated().map { $0.offset == 280 ? Fixture.rawEvent("e17") : $0.element }))
    #expect(twice?.message.hasPrefix(#"two events have the id "e17"; a file over 4 GiB"#) == true)
    // Invalid UTF-8 is placed at its character, after an accented line.
    let bytes = Array(Fixture.raw(events: events.enumerated().map { $0.offset == 199 ? Fixture.rawEvent("e200", extra: #", "summary": "Zürich \#u{FFFD}""#) : $0.element }).utf8)
    var broken = bytes
    let marker = Array("\u{FFFD}".utf8)
    let at = try #require((0..<broken.count - 2).first { Array(broken[$0..<$0 + 3]) == marker })
    broken.replaceSubrange(at..<at + 3, with: [0xFF])
    let path = scratch.path("broken.json")
    try Data(broken).write(to: URL(fileURLWithPath: path))
    do {
      _ = try TimelineLoader.load(path: path, options: options)
      Issue.record("invalid UTF-8 accepted")
    } catch {
      guard case .invalid(let failure) = error, let d = failure.diagnostics.first else { return }
      let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)[203]
      #expect(d.line == 204)
      #expect(d.column == line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: line.unicodeScalars.firstIndex(of: "\u{FFFD}")!) + 1)
    }
  }

  @Test("a FIFO with a writer: read to its end, even when the writer pauses")
  func fifoWithAWriter() throws {
    let scratch = try Scratch()
    let path = scratch.path("pipe.json")
    try #require(mkfifo(path, 0o600) == 0)
    let doc = Array(Fixture.raw(events: (1...2_000).map { Fixture.rawEvent("e\($0)") }).utf8)  // larger than a pipe's buffer
    let expected = ReadOutcome.fingerprint(try TimelineDecoder.decode(doc, fileName: path))
    // A reader held open first, so the writer's open does not wait and the writer is there before the
    // loader opens (a loader that finds no writer reads an empty FIFO: see `fifoWithoutAWriter`).
    let keeper = open(path, O_RDONLY | O_NONBLOCK)
    try #require(keeper >= 0)
    defer { close(keeper) }
    let writerReady = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      let w = open(path, O_WRONLY)
      writerReady.signal()
      guard w >= 0 else { return }
      let half = doc.count / 2
      doc.withUnsafeBytes { raw in
        _ = write(w, raw.baseAddress!, half)
        usleep(50_000)  // the file "grows" while it is read
        var done = half
        while done < raw.count {
          let n = write(w, raw.baseAddress! + done, raw.count - done)
          if n <= 0 { break }
          done += n
        }
      }
      close(w)
    }
    writerReady.wait()
    let result = withTimeout(30) { Result { () throws(TimelineLoader.Failure) in try TimelineLoader.load(path: path, options: .init(forceStreaming: true)) } }
    let loaded = try #require(result, "the load did not finish")
    let t = try loaded.get()
    #expect(ReadOutcome.fingerprint(t) == expected)
  }

  @Test("a FIFO with no writer: read at once as an empty file, no hang")
  func fifoWithoutAWriter() throws {
    let scratch = try Scratch()
    let path = scratch.path("lonely.json")
    try #require(mkfifo(path, 0o600) == 0)
    let result = withTimeout(10) { Result { () throws(TimelineLoader.Failure) in try TimelineLoader.load(path: path) } }
    let outcome = try #require(result, "reading a FIFO with no writer hung")
    guard case .failure(.invalid(let f)) = outcome else {
      Issue.record("expected a refusal, got \(outcome)")
      return
    }
    #expect(f.diagnostics.map(\.description) == ["\(path):1:1: the file is empty; expected a timeline document (a JSON object)"])
  }
}

@Suite("Hostile input: files that change while they are read")
struct ChangingFileTests {
  /// A valid document of about 6 MB: more than the streaming loader's 4 MB window.
  static let big: [UInt8] = {
    let summary = String(repeating: "Un résumé assez long, 東京 🎉, pour remplir la fenêtre. ", count: 6)
    let events = (0..<15_000).map { Fixture.rawEvent("e\($0)", extra: ", \"summary\": \"\(summary)\"") }
    return Array(Fixture.raw(events: events).utf8)
  }()

  /// Loads `path` while `change` runs on another thread after `delay` microseconds. The outcome must
  /// be one of two: the whole timeline (the change came too late to matter), or a positioned refusal.
  func loadWhile(_ path: String, delay: UInt32, options: TimelineLoader.Options = .init(forceStreaming: true), _ change: @escaping @Sendable () -> Void) throws {
    let started = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      started.wait()
      usleep(delay)
      change()
      finished.signal()
    }
    started.signal()
    let result = withTimeout(60) { Result { () throws(TimelineLoader.Failure) in try TimelineLoader.load(path: path, options: options) } }
    finished.wait()
    let outcome = try #require(result, "the load did not finish")
    switch outcome {
    case .success(let t):
      #expect(t.count == 15_000)
      // Its text is read from the file when shown: a file cut since then gives less text, never a crash.
      for i in stride(from: 0, to: t.count, by: 97) {
        _ = t.title(at: i)
        _ = t.summary(at: i)
      }
    case .failure(.invalid(let f)):
      #expect(!f.diagnostics.isEmpty && f.diagnostics.allSatisfy { $0.line > 0 && $0.column > 0 }, "\(f)")
    case .failure(let other):
      Issue.record("neither a timeline nor a positioned refusal: \(other)")
    }
  }

  @Test("a file cut short while it is read", arguments: [0, 2_000, 20_000, 100_000] as [UInt32])
  func truncated(delay: UInt32) throws {
    let scratch = try Scratch()
    let path = try scratch.write("shrinking.json", Self.big)
    try loadWhile(path, delay: delay) { _ = truncate(path, off_t(Self.big.count / 3)) }
  }

  @Test("a file cut short while two threads read it", arguments: [0, 2_000, 20_000, 100_000] as [UInt32])
  func truncatedWhileSplit(delay: UInt32) throws {
    let scratch = try Scratch()
    for cut in [Self.big.count / 3, Self.big.count * 2 / 3, Self.big.count - 10] {
      let path = try scratch.write("shrinking.json", Self.big)
      try loadWhile(path, delay: delay, options: .init(forceStreaming: true, threads: 2, parallelThreshold: 1 << 20)) {
        _ = truncate(path, off_t(cut))
      }
    }
  }

  @Test("a file that grows while it is read: whitespace loads, anything else is refused or too late", arguments: [0, 20_000] as [UInt32])
  func growing(delay: UInt32) throws {
    for tail in ["\n \n", "\n{\"events\": []}"] {
      let scratch = try Scratch()
      let path = try scratch.write("growing.json", Self.big)
      try loadWhile(path, delay: delay) {
        guard let h = FileHandle(forWritingAtPath: path) else { return }
        h.seekToEndOfFile()
        h.write(Data(tail.utf8))
        h.closeFile()
      }
    }
  }

  @Test("text read after the file was cut or rewritten: shorter or different, never a crash")
  func textAfterTheFileChanged() throws {
    let scratch = try Scratch()
    let escaped = Fixture.rawEvent("e0", extra: #", "summary": "\u00e9t\u00e9 \ud83c\udf89 \"quoted\" \\ end""#)
    let doc = Array(Fixture.raw(events: [escaped, Fixture.rawEvent("e1")]).utf8)
    let path = try scratch.write("text.json", doc)
    let t = try TimelineLoader.load(path: path, options: .init(forceStreaming: true))
    #expect(t.summary(at: 0) == "été 🎉 \"quoted\" \\ end")
    // Cut in the middle of the escaped summary, then filled with garbage of the same length.
    let cut = doc.count - 120
    #expect(truncate(path, off_t(cut)) == 0)
    #expect(t.document.file?.hasChanged == true)
    for i in 0..<t.count {
      _ = t.title(at: i)
      _ = t.summary(at: i)
      _ = t.id(at: i)
    }
    try Data([UInt8](repeating: 0xFF, count: doc.count)).write(to: URL(fileURLWithPath: path))
    for i in 0..<t.count { #expect(t.summary(at: i).allSatisfy { $0 == "\u{FFFD}" || $0.isASCII }) }
  }
}
