// libFuzzer entry point for the timeline decoder and the streaming loader.
//
// Built only by `.ci/fuzz` (TIMELINE_FUZZ=1, `--sanitize fuzzer --sanitize address`, plus
// `-Xswiftc -sanitize=fuzzer,address`: see the script); libFuzzer supplies `main`. Deliberately not
// `main.swift`: SwiftPM would then link its own `main` and libFuzzer's would never run (see the
// research notes, §9).
//
// Per input:
// 1. The reference decoder reads the bytes. Either outcome is fine; a trap is a bug. A failure must be
//    positioned (every diagnostic has a line and column) and printable (no unsafe characters).
// 2. If it decoded: the timeline's invariants hold; for one input in four, it also renders to the program's
//    JSON and that decodes again to the same events, and a few queries built from its data agree.
// 3. For one input in eight (by a hash of its bytes), the bytes also go through the
//    streaming fast path (`TimelineLoader`, forced, one thread) from a memfd; it must agree with step 1:
//    both refuse the file, or both give the same timeline.
// 4. The importers of other formats (`TimelineImport`): an input whose first byte is 1 to 6 is read, from
//    its second byte on, as TimelineJS JSON, TimelineJS2 JSON, a TimelineJS spreadsheet, iCalendar, CSV
//    or TSV; any other input is also recognised (`TimelineFormat.sniff`) and imported when it is not this
//    program's JSON. A refusal must be positioned and printable; a timeline must keep its invariants,
//    and (one input in four) its JSON export must load again to the same events.
// 5. `TimelineBuilder`: an input whose first byte is 7 is read as values (a title, sources, people, eras,
//    declared countries and events, each field drawn from the bytes, ids from a small set so that
//    duplicates and dangling references are common) added at cell positions. The builder must refuse
//    with positioned, printable diagnostics, or give a timeline whose invariants hold, whose every event
//    keeps its row, and (one input in four) whose JSON export loads again to the same events.

import Foundation
import TimelineCore

#if canImport(Glibc)
  import Glibc
#endif

/// Inputs larger than this skip the fast-path comparison (the decoder alone is fast; the loader allocates
/// a 4 MiB window per load).
private let fastPathLimit = 256 << 10

private let fileName = "fuzz.json"

/// The formats an input's first byte chooses (1 to 6).
private let importFormats: [TimelineFormat] = [.timelinejs, .timelinejs2, .timelinejsCSV, .ics, .csv, .tsv]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let first = bytes.first, (1...6).contains(first) {
    fuzzImport(Array(bytes.dropFirst()), format: importFormats[Int(first) - 1], hash: fnv(bytes))
    return 0
  }
  if bytes.first == 7 {
    fuzzBuilder(Array(bytes.dropFirst()), hash: fnv(bytes))
    return 0
  }
  let sniffed = bytes.withUnsafeBufferPointer { TimelineFormat.sniff(prefix: UnsafeBufferPointer(rebasing: $0.prefix(TimelineFormat.prefixLength)), path: "fuzz") }
  if sniffed != .timeline { fuzzImport(bytes, format: nil, hash: fnv(bytes)) }
  let reference: Result<Timeline, DecodeFailure>
  do {
    reference = .success(try TimelineDecoder.decode(bytes, fileName: fileName))
  } catch {
    reference = .failure(error)
  }
  // The costly checks (export and re-import, queries, the streaming loader) run on a share of the
  // inputs, chosen by a hash of their bytes, so that the fuzzer keeps thousands of executions a second;
  // the decoder itself runs on every input.
  let h = fnv(bytes)
  switch reference {
  case .success(let timeline):
    if h % 4 == 0 {
      checkTimeline(timeline)
    } else if let problem = timeline.checkInvariants() {
      fatalError("invariant broken: \(problem)")
    }
  case .failure(let failure): checkFailure(failure, fileName: fileName)
  }
  // One input in eight also goes through the streaming loader (from a memfd), which must agree.
  if size <= fastPathLimit, h % 8 == 1 {
    compareWithLoader(bytes, reference)
  }
  return 0
}

private func fnv(_ bytes: [UInt8]) -> UInt32 {
  var h: UInt32 = 2_166_136_261
  for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
  return h
}

// MARK: - Other formats

private func fuzzImport(_ bytes: [UInt8], format: TimelineFormat?, hash h: UInt32) {
  let name = "fuzz.import"
  let result: ImportResult
  do {
    result = try TimelineImport.decode(bytes, fileName: name, format: format)
  } catch {
    // A calendar's message may be about a whole line (column 0); every message has a line.
    guard !error.diagnostics.isEmpty else { fatalError("an importer refused the file without a diagnostic") }
    for d in error.diagnostics {
      guard d.file == name, d.line >= 1 else { fatalError("import diagnostic without a line: \(d)") }
      if let unsafe = d.description.unicodeScalars.first(where: TerminalSafety.isUnsafe) {
        fatalError("import diagnostic holds the unsafe character U+\(String(unsafe.value, radix: 16)): \(d.description.debugDescription)")
      }
    }
    return
  }
  let t = result.timeline
  if h % 4 == 0 {
    checkTimeline(t)
  } else if let problem = t.checkInvariants() {
    fatalError("invariant broken in an imported timeline: \(problem)")
  }
  // Every imported event says where it came from.
  for i in 0..<t.count {
    guard let origin = t.origin(at: i), origin.file == name else { fatalError("imported event \(i) has no origin") }
  }
  // Leaving bad rows out keeps the timeline whole too.
  if h % 8 == 3 {
    var options = ImportOptions()
    options.skipBadRows = true
    if let skipped = try? TimelineImport.decode(bytes, fileName: name, format: format, options: options), let problem = skipped.timeline.checkInvariants() {
      fatalError("invariant broken with --skip-bad-rows: \(problem)")
    }
  }
}

// MARK: - The timeline builder

/// Values drawn from the fuzzer's bytes (zeros once they run out).
private struct Draw {
  let bytes: [UInt8]
  var at = 0
  var atEnd: Bool { at >= bytes.count }

  mutating func byte() -> UInt8 {
    defer { at += 1 }
    return at < bytes.count ? bytes[at] : 0
  }

  mutating func pick<T>(_ choices: [T]) -> T { choices[Int(byte()) % choices.count] }

  /// Up to 15 bytes as text (invalid UTF-8 becomes U+FFFD, control characters stay).
  mutating func text() -> String {
    let start = min(at + 1, bytes.count)
    let n = min(Int(byte() % 16), bytes.count - start)
    defer { at = start + n }
    return String(decoding: bytes[start..<start + n], as: UTF8.self)
  }

  mutating func list(_ choices: [String]) -> [String] { (0..<Int(byte() % 4)).map { _ in pick(choices) } }

  /// A date, or nil when the bytes do not make one (the caller then uses another).
  mutating func date() -> TimelineDate? {
    let year = Int(byte()) * 16 - 1000 + Int(byte() % 16)
    let (month, day) = (byte() % 14, byte() % 32)
    let time = byte()
    return TimelineDate(
      year: year, month: month, day: day, hour: time & 1 == 1 ? time % 25 : nil, minute: time & 1 == 1 ? time % 61 : nil,
      approximate: time & 2 == 2)
  }
}

private func fuzzBuilder(_ bytes: [UInt8], hash h: UInt32) {
  let name = "fuzz.builder"
  var d = Draw(bytes: bytes)
  // Few ids, some invalid ("", "B C", "é"), so that duplicates and unknown references are common.
  let ids = ["a", "b", "c", "a-1", "", "B C", "é"]
  let countries = ["FR", "US", "CH", "ZZ", "XK", "fr", ""]
  let fallback = TimelineDate(year: 2020)!
  let builder = TimelineBuilder(fileName: name)
  builder.title = d.text()
  builder.description = d.text()
  var row = 1
  func next() -> SourcePosition {
    row += 1
    return .cell(row: row, header: nil, line: row, column: 1)
  }
  for _ in 0..<Int(d.byte() % 4) {
    builder.add(Source(id: d.pick(ids), title: d.text(), publisher: d.text(), date: d.date(), language: d.pick(["en", "fr", "", "x"])), at: next())
  }
  for _ in 0..<Int(d.byte() % 4) {
    builder.add(Person(id: d.pick(ids), name: d.text(), aliases: d.list(["", "Al", "\u{7}"]), country: d.pick([nil, "FR", "ZZ"]), role: d.text()), at: next())
  }
  for _ in 0..<Int(d.byte() % 3) {
    builder.add(Era(id: d.pick(ids), title: d.text(), start: d.date() ?? fallback, end: d.date() ?? fallback, summary: d.pick([nil, "", "s"])), at: next())
  }
  if d.byte() % 4 == 0 { builder.declare(CountryTable.Country(code: "ZZ", name: d.text()), at: next()) }
  while !d.atEnd {
    let event = Event(
      id: d.pick(ids) + d.pick(["", "1", "2"]), date: d.date() ?? fallback, end: d.byte() % 3 == 0 ? d.date() : nil, title: d.text(),
      summary: d.text(), countries: d.list(countries), people: d.list(ids), tags: d.list(["t", "", "T", "é"]),
      confidence: d.pick([.confirmed, .reported, .rumoured, .disputed]), sources: d.list(ids), notes: d.pick([nil, "", "n"]))
    builder.add(event, at: next())
  }
  let t: Timeline
  do {
    t = try builder.build()
  } catch {
    guard !error.diagnostics.isEmpty else { fatalError("the builder refused without a diagnostic") }
    for d in error.diagnostics {
      // Every value was added at a row; only the document's own title and description have no place.
      guard d.file == name, d.line >= 2 || (d.position.record == nil && d.subject == nil && ["title", "description"].contains(d.field))
      else { fatalError("builder diagnostic without its row: \(d)") }
      if let unsafe = d.description.unicodeScalars.first(where: TerminalSafety.isUnsafe) {
        fatalError("builder diagnostic holds the unsafe character U+\(String(unsafe.value, radix: 16)): \(d.description.debugDescription)")
      }
    }
    return
  }
  if h % 4 == 0 {
    checkTimeline(t)
  } else if let problem = t.checkInvariants() {
    fatalError("invariant broken in a built timeline: \(problem)")
  }
  for i in 0..<t.count {
    guard let origin = t.origin(at: i), origin.file == name, origin.position.line >= 2 else { fatalError("built event \(i) has no row") }
  }
}

// MARK: - Refused files

private func checkFailure(_ failure: DecodeFailure, fileName: String) {
  guard !failure.diagnostics.isEmpty else { fatalError("the decoder refused the file without a diagnostic") }
  for d in failure.diagnostics {
    guard d.file == fileName, d.line >= 1, d.column >= 1 else {
      fatalError("diagnostic without a position: \(d)")
    }
    if let unsafe = d.description.unicodeScalars.first(where: TerminalSafety.isUnsafe) {
      fatalError("diagnostic holds the unsafe character U+\(String(unsafe.value, radix: 16)): \(d.description.debugDescription)")
    }
  }
}

// MARK: - Accepted files

private func checkTimeline(_ t: Timeline) {
  if let problem = t.checkInvariants() { fatalError("invariant broken: \(problem)") }

  // Text output is sanitized: no control characters but the line ends.
  let all = (0..<t.count).map { UInt32($0) }
  let text = ListFormat.text.render(t, events: all)
  if let unsafe = text.unicodeScalars.first(where: { $0 != "\n" && TerminalSafety.isUnsafe($0) }) {
    fatalError("text list holds the unsafe character U+\(String(unsafe.value, radix: 16))")
  }

  // Round trip through the program's own JSON.
  let json = Array(ListFormat.json.render(t, events: all).utf8)
  let again: Timeline
  do {
    again = try TimelineDecoder.decode(json, fileName: "roundtrip.json")
  } catch {
    fatalError("the JSON export of a valid timeline does not decode:\n\(error)\n--- export:\n\(String(decoding: json, as: UTF8.self))")
  }
  guard again.count == t.count else { fatalError("round trip: \(again.count) events, expected \(t.count)") }
  for i in 0..<t.count {
    let (a, b) = (t.event(at: i), again.event(at: i))
    guard a == b else { fatalError("round trip: event \(i) differs:\n  before: \(a)\n  after:  \(b)") }
  }
  // The export holds only the sources, people and eras its events need, unchanged.
  guard again.title == t.title, again.description == t.description, Set(again.sources).isSubset(of: t.sources),
    Set(again.people).isSubset(of: t.people), Set(again.eras).isSubset(of: t.eras)
  else {
    fatalError("round trip: the document's title or description differ, or sources, people or eras changed")
  }

  guard t.count > 0 else { return }
  checkQueries(t)
}

private func checkSorted(_ result: [UInt32], _ t: Timeline, _ what: String) {
  for k in result.indices {
    guard Int(result[k]) < t.count, k == 0 || result[k - 1] < result[k] else {
      fatalError("\(what): result is not a sorted list of event numbers: \(result.prefix(20))")
    }
  }
}

private func checkQueries(_ t: Timeline) {
  // A country the first event carries: exactly the events that carry it.
  if let code = t.countryCodes(at: 0).first {
    let result = t.evaluate(Query(countries: [code]))
    checkSorted(result, t, "country \(code)")
    let expected = (0..<t.count).filter { t.countryCodes(at: $0).contains(code) }.map { UInt32($0) }
    guard result == expected else { fatalError("country \(code): \(result.prefix(20)), expected \(expected.prefix(20))") }
  }
  // A person: exactly the events that cite them.
  if let person = t.people.first {
    let result = t.evaluate(Query(people: [person.id]))
    checkSorted(result, t, "person \(person.id)")
    let expected = (0..<t.count).filter { t.personIndexes(at: $0).contains(0) }.map { UInt32($0) }
    guard result == expected else { fatalError("person \(person.id): \(result.prefix(20)), expected \(expected.prefix(20))") }
  }
  // A word of the first event's title (ASCII letters and digits): finds that event, among others.
  if let word = asciiWord(in: t.title(at: 0)) {
    let result = t.evaluate(Query(text: word))
    checkSorted(result, t, "text \(word)")
    guard result.first == 0 else { fatalError("text \"\(word)\" does not find event 0 (\"\(t.title(at: 0))\"): \(result.prefix(20))") }
    // With a date range that holds the event.
    let d = t.date(at: 0)
    let ranged = t.evaluate(Query(text: word, from: d, to: d))
    checkSorted(ranged, t, "text \(word) with dates")
    guard ranged.first == 0, Set(ranged).isSubset(of: result) else {
      fatalError("text \"\(word)\" from \(d) to \(d): \(ranged.prefix(20)) (without dates: \(result.prefix(20)))")
    }
  }
  // Facets with no match and an impossible range.
  checkSorted(t.evaluate(Query(text: "\"\u{1}\u{2}\"")), t, "control text")
  if let far = TimelineDate(year: TimelineDate.maxYear), let near = TimelineDate(year: TimelineDate.minYear) {
    checkSorted(t.evaluate(Query(from: far, to: near)), t, "reversed range")
  }
}

/// The first run of at least two ASCII letters or digits, up to 16 of them.
private func asciiWord(in s: String) -> String? {
  var run: [UInt8] = []
  for b in s.utf8 {
    let alnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    if alnum {
      run.append(b)
      if run.count == 16 { break }
    } else if run.count >= 2 {
      break
    } else {
      run = []
    }
  }
  return run.count >= 2 ? String(decoding: run, as: UTF8.self) : nil
}

// MARK: - Fast path against the reference

private typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32

/// One anonymous in-memory file, rewritten for each input (`memfd_create` is not in Swift's Glibc module).
nonisolated(unsafe) private var memfd: Int32 = {
  guard let symbol = dlsym(nil, "memfd_create") else { fatalError("fuzz harness: no memfd_create") }
  let create = unsafeBitCast(symbol, to: MemfdCreate.self)
  let fd = create("timeline-fuzz", 1 /* MFD_CLOEXEC */)
  guard fd >= 0 else { fatalError("fuzz harness: memfd_create failed: \(String(cString: strerror(errno)))") }
  return fd
}()

private func write(_ bytes: [UInt8]) -> String {
  let fd = memfd
  guard ftruncate(fd, 0) == 0 else { fatalError("fuzz harness: ftruncate failed") }
  var done = 0
  while done < bytes.count {
    let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(done)) }
    guard n > 0 else { fatalError("fuzz harness: pwrite failed") }
    done += n
  }
  return "/proc/self/fd/\(fd)"
}

private func compareWithLoader(_ bytes: [UInt8], _ reference: Result<Timeline, DecodeFailure>) {
  let path = write(bytes)
  let loaded: Result<Timeline, TimelineLoader.Failure>
  do {
    loaded = .success(try TimelineLoader.load(path: path, options: .init(forceStreaming: true, threads: 1)))
  } catch {
    loaded = .failure(error)
  }
  switch (reference, loaded) {
  case (.failure, .failure(.invalid)):
    return
  case (.failure(let f), .success(let t)):
    fatalError("the fast path accepted a file the reference decoder refuses (\(t.count) events); reference says:\n\(f)")
  case (.success(let t), .failure(let e)):
    fatalError("the loader refused a file the reference decoder accepts (\(t.count) events): \(e)")
  case (.failure, .failure(let e)):
    fatalError("fuzz harness: the loader could not read its memfd: \(e)")
  case (.success(let r), .success(let l)):
    guard r.count == l.count else { fatalError("fast path: \(l.count) events, reference \(r.count)") }
    for i in 0..<r.count {
      guard r.id(at: i) == l.id(at: i), r.date(at: i) == l.date(at: i), r.title(at: i) == l.title(at: i) else {
        fatalError(
          "fast path: event \(i) is \(l.id(at: i)) \(l.date(at: i)) \(l.title(at: i).debugDescription), "
            + "reference \(r.id(at: i)) \(r.date(at: i)) \(r.title(at: i).debugDescription)")
      }
      let (a, b) = (r.event(at: i), l.event(at: i))
      guard a == b, r.fileIndex(at: i) == l.fileIndex(at: i) else {
        fatalError("fast path: event \(i) differs:\n  reference: \(a)\n  fast path: \(b)")
      }
    }
    guard r.title == l.title, r.description == l.description, r.sources == l.sources, r.people == l.people,
      r.eras == l.eras, r.tags == l.tags, r.declaredCountries == l.declaredCountries
    else { fatalError("fast path: the document's title, description, sources, people, eras or tags differ") }
  }
}
