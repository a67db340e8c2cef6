import Foundation
import Testing
import TimelineCore

#if canImport(Glibc)
  import Glibc
#endif

/// A folder of its own for a test, removed afterwards.
private final class Folder {
  let path: String
  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("timeline-state-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }

  func file(_ name: String) -> String { path + "/" + name }
  func read(_ name: String) -> String? { try? String(contentsOfFile: file(name), encoding: .utf8) }
  func write(_ name: String, _ text: String) throws { try text.write(toFile: file(name), atomically: false, encoding: .utf8) }
  var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

@Suite("Atomic writes")
struct AtomicFileTests {
  @Test("a write replaces the file whole and leaves no temporary file behind")
  func replaces() throws {
    let dir = try Folder()
    try dir.write("out.json", "old content that is longer than the new one")
    try AtomicFile.write("new", to: dir.file("out.json"))
    #expect(dir.read("out.json") == "new")
    #expect(dir.names == ["out.json"])
  }

  @Test("a symbolic link at the path is replaced, and what it pointed to is untouched")
  func neverThroughALink() throws {
    let dir = try Folder()
    try dir.write("precious.txt", "keep me")
    #expect(symlink(dir.file("precious.txt"), dir.file("out.json")) == 0)
    try AtomicFile.write("export", to: dir.file("out.json"))
    #expect(dir.read("precious.txt") == "keep me")
    #expect(AtomicFile.existing(dir.file("out.json")) == .file)
    #expect(dir.read("out.json") == "export")
  }

  @Test("an existing file keeps its permissions; a directory is refused with its path")
  func permissionsAndDirectories() throws {
    let dir = try Folder()
    try dir.write("shared.csv", "a")
    #expect(chmod(dir.file("shared.csv"), 0o640) == 0)
    try AtomicFile.write("b", to: dir.file("shared.csv"))
    var st = stat()
    #expect(stat(dir.file("shared.csv"), &st) == 0)
    #expect(st.st_mode & 0o777 == 0o640)
    #expect(throws: AtomicFile.Failure(path: dir.path, reason: "it is a directory")) {
      try AtomicFile.write("x", to: dir.path)
    }
    #expect(throws: AtomicFile.Failure.self) { try AtomicFile.write("x", to: dir.file("no/such/folder/out.json")) }
    #expect(dir.names == ["shared.csv"])
  }
}

@Suite("State directory")
struct StateDirectoryTests {
  @Test("XDG_STATE_HOME when absolute, else ~/.local/state, else none")
  func location() {
    #expect(StateDirectory(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/a"])?.path == "/x/state/timeline")
    #expect(StateDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/a"])?.path == "/home/a/.local/state/timeline")
    #expect(StateDirectory(environment: ["HOME": "/home/a/"])?.path == "/home/a/.local/state/timeline")
    #expect(StateDirectory(environment: [:]) == nil)
  }

  @Test("a data file's key: its name made safe and a hash of its absolute path, the same from any spelling")
  func keys() throws {
    let dir = try Folder()
    try FileManager.default.createDirectory(atPath: dir.file("a"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: dir.file("b"), withIntermediateDirectories: true)
    try dir.write("a/case file é.json", "{}")
    try dir.write("b/case file é.json", "{}")
    let a = StateDirectory.key(forDataFile: dir.file("a/case file é.json"))
    #expect(a.hasPrefix("case_file__.json-"))
    #expect(a != StateDirectory.key(forDataFile: dir.file("b/case file é.json")))
    #expect(a == StateDirectory.key(forDataFile: dir.file("b/../a/case file é.json")))
    #expect(symlink(dir.file("a/case file é.json"), dir.file("link.json")) == 0)
    #expect(a == StateDirectory.key(forDataFile: dir.file("link.json")))
    #expect(StateDirectory.key(forDataFile: nil) == "bundled-sparks-group")
  }
}

@Suite("Sessions")
struct SessionTests {
  static func sample() -> Session {
    var s = Session()
    var q = Query(countries: ["US"], text: "raid")
    q[.person].set("george-bridi", .excluded)
    q.from = try? TimelineDate.parse("2020-08").get()
    s.setQuery(q, searchFilters: true)
    s.markedOnly = true
    s.selected = "correa-arrested"
    s.focus = "detail"
    s.annotations.setMarked("correa-arrested", true)
    s.annotations.setMarked("gone-event", true)
    s.annotations.setNote("bridi-arrested", "Check the Cypriot court record.\nSecond line.")
    return s
  }

  @Test("a session is written and read back whole, private to the user")
  func roundTrip() throws {
    let dir = try Folder()
    let store = SessionStore(directory: StateDirectory(path: dir.path), dataFile: dir.file("case.json"))
    #expect(store.load() == .none)
    try store.save(Self.sample())
    guard case .restored(let back) = store.load() else {
      Issue.record("not restored")
      return
    }
    var expected = Self.sample()
    expected.dataFile = back.dataFile
    expected.saved = back.saved
    #expect(back == expected)
    #expect(back.dataFile == StateDirectory.absolutePath(dir.file("case.json")))
    #expect(back.shownQuery.text == "raid")
    #expect(back.query[.person].excluded == ["george-bridi"])
    #expect(back.query.from?.description == "2020-08")
    var st = stat()
    #expect(stat(store.path, &st) == 0)
    #expect(st.st_mode & 0o777 == 0o600)
  }

  @Test("two data files keep two sessions")
  func separate() throws {
    let dir = try Folder()
    let a = SessionStore(directory: StateDirectory(path: dir.path), dataFile: dir.file("a.json"))
    let b = SessionStore(directory: StateDirectory(path: dir.path), dataFile: dir.file("b.json"))
    var s = Session()
    s.selected = "in-a"
    try a.save(s)
    #expect(b.load() == .none)
    s.selected = "in-b"
    try b.save(s)
    guard case .restored(let fromA) = a.load(), case .restored(let fromB) = b.load() else {
      Issue.record("not restored")
      return
    }
    #expect(fromA.selected == "in-a")
    #expect(fromB.selected == "in-b")
  }

  @Test(
    "a corrupt session, or one from a newer version, is renamed beside itself and said, never lost",
    arguments: [
      ("{\"version\": 1, \"annotations\": {\"marks\": 3}}", "corrupt (wrong type at annotations.marks)", "corrupt"),
      ("{\"version\": 1, \"filt", "corrupt (not a session file (no version))", "corrupt"),
      ("{\"version\": 99, \"something\": \"new\"}", "written by a newer version of timeline (session version 99)", "newer"),
    ])
  func setAside(content: String, reason: String, kind: String) throws {
    let dir = try Folder()
    let store = SessionStore(directory: StateDirectory(path: dir.path), dataFile: dir.file("case.json"))
    try AtomicFile.makeDirectory(AtomicFile.parent(of: store.path))
    try content.write(toFile: store.path, atomically: false, encoding: .utf8)
    // `list` only reads: the file stays.
    #expect(store.load(setAside: false) == .unusable(reason: reason))
    #expect(FileManager.default.fileExists(atPath: store.path))
    guard case .setAside(let why, let movedTo) = store.load() else {
      Issue.record("not set aside")
      return
    }
    #expect(why == reason)
    #expect(movedTo.contains(".\(kind)-"))
    #expect(movedTo.hasSuffix(".json"))
    #expect(try String(contentsOfFile: movedTo, encoding: .utf8) == content)
    #expect(!FileManager.default.fileExists(atPath: store.path))
    #expect(store.load() == .none)
    // A new session can be saved in its place, and the old one is still there.
    try store.save(Session())
    #expect(try String(contentsOfFile: movedTo, encoding: .utf8) == content)
  }
}

@Suite("Marks and notes")
struct AnnotationTests {
  @Test("marks and notes follow events by id when the file is edited; those whose event is gone are kept and listed")
  func followByID() throws {
    var a = Annotations()
    a.setMarked("correa-pleads", true)
    a.setMarked("bridi-arrested", true)
    a.setNote("correa-pleads", "Plea deal: see docket 21-cr-1")
    a.setNote("moscow-servers", "   ")  // blank: no note
    let before = try Fixture.caseTimeline()
    let index = AnnotationIndex(a, in: before)
    #expect(index.marked.map { before.id(at: Int($0)) } == ["bridi-arrested", "correa-pleads"])
    #expect(index.missingMarks.isEmpty)
    #expect(a.notes.count == 1)

    // The edited file: Bridi's arrest is gone, a new event comes first and moves every number.
    var events = Fixture.caseEvents.filter { $0.id != "bridi-arrested" }
    events.insert(FixtureEvent(id: "new-first", date: "1999", title: "Earlier"), at: 0)
    let after = try Fixture.timeline(events: events)
    let moved = AnnotationIndex(a, in: after)
    #expect(moved.marked.map { after.id(at: Int($0)) } == ["correa-pleads"])
    #expect(moved.missingMarks == ["bridi-arrested"])
    #expect(moved.notes.values.sorted() == ["Plea deal: see docket 21-cr-1"])
    #expect(after.id(at: Int(moved.notes.keys.first!)) == "correa-pleads")
    // The annotations themselves still hold the gone event's mark.
    #expect(a.isMarked("bridi-arrested"))
  }

  @Test("marking and unmarking keeps the marked events sorted")
  func toggling() throws {
    let t = try Fixture.caseTimeline()
    var index = AnnotationIndex(Annotations(), in: t)
    for e: UInt32 in [5, 1, 3, 1] { index.setMarked(e, true) }
    #expect(index.marked == [1, 3, 5])
    index.setMarked(3, false)
    #expect(index.marked == [1, 5])
    #expect(index.onlyMarked([0, 1, 2, 5, 6]) == [1, 5])
  }

  @Test("the user's notes are searched with the event's own text: words, smart case, exclusion, regex")
  func searchable() throws {
    let t = try Fixture.caseTimeline()
    let e = UInt32(t.eventNumbers(ofIDs: ["moscow-servers"])["moscow-servers"]!)
    let notes: [UInt32: String] = [e: "Ask Kovács about the Zürich lead"]
    func ids(_ text: String, regex: Bool = false, scan: Bool = false) -> [String] {
      t.evaluate(Query(text: text, regex: regex), narrowing: nil, textSearch: scan ? .scan : .index, userNotes: notes)
        .map { t.id(at: Int($0)) }
    }
    for scan in [false, true] {
      #expect(ids("zurich lead", scan: scan) == ["moscow-servers"])
      #expect(ids("Kovács", scan: scan) == ["moscow-servers"])
      #expect(ids("KOVÁCS", scan: scan).isEmpty)
      #expect(!ids("!zurich", scan: scan).contains("moscow-servers"))
    }
    #expect(ids("z.rich\\s+lead", regex: true) == ["moscow-servers"])
    #expect(t.evaluate(Query(text: "zurich")).isEmpty)
  }

  @Test("ids are found in a file read by offset")
  func idsFromAFile() throws {
    let dir = try Folder()
    try dir.write("case.json", Fixture.document(events: Fixture.caseEvents))
    let t = try TimelineLoader.load(path: dir.file("case.json"), options: .init(forceStreaming: true))
    #expect(t.document.file != nil)
    let found = t.eventNumbers(ofIDs: ["correa-sentenced", "ahmad-steps-back", "nope"])
    #expect(found.count == 2)
    #expect(found.map { t.id(at: Int($0.value)) }.sorted() == ["ahmad-steps-back", "correa-sentenced"])
  }

  @Test("every id is found, read in file order by two threads or one, whatever its length", arguments: [1, 2])
  func everyIDFromAFile(threads: Int) throws {
    // Out of chronological order, ids of several lengths, one written with an escape.
    let events = (0..<400).map { k in
      FixtureEvent(id: k == 7 ? "e-7" : String(repeating: "e", count: 1 + k % 5) + "\(k)", date: "20\(10 + (k * 37) % 13)-0\(1 + k % 9)", title: "T")
    }
    let dir = try Folder()
    try dir.write("many.json", Fixture.document(events: events).replacingOccurrences(of: "\"e-7\"", with: "\"e\\u002D7\""))
    let t = try TimelineLoader.load(path: dir.file("many.json"), options: .init(forceStreaming: true, threads: threads, parallelThreshold: 0))
    #expect(t.document.file != nil && t.count == 400)
    let ids = (0..<t.count).map { t.id(at: $0) }
    #expect(ids.contains("e-7"))
    let found = t.eventNumbers(ofIDs: Set(ids + ["nope", "e"]))
    #expect(found.count == t.count)
    #expect(found.allSatisfy { t.id(at: Int($0.value)) == $0.key })
    // One at a time, as the selection is restored.
    for e in [0, 199, t.count - 1] { #expect(t.eventNumbers(ofIDs: [ids[e]]) == [ids[e]: UInt32(e)]) }
  }
}

@Suite("Files that change under the explorer")
struct ChangedFileTests {
  @Test("text is never read back from a file rewritten in place since it was indexed (B6)")
  func noRawJSON() throws {
    let dir = try Folder()
    let text = Fixture.document(events: Fixture.caseEvents)
    try dir.write("case.json", text)
    let t = try TimelineLoader.load(path: dir.file("case.json"), options: .init(forceStreaming: true))
    let first = t.title(at: 0)
    #expect(!first.isEmpty)
    #expect(t.document.file?.hasChanged == false)
    // The same file (same inode), rewritten in place with 37 more bytes at its start, as B6 did.
    let fd = open(dir.file("case.json"), O_WRONLY | O_TRUNC)
    #expect(fd >= 0)
    let shifted = Array((String(repeating: " ", count: 37) + text).utf8)
    #expect(shifted.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == shifted.count)
    close(fd)
    // Read before anything asked whether the file changed: the reads see it themselves.
    for i in 0..<t.count {
      #expect(t.title(at: i) == "")
      #expect(t.summary(at: i) == "")
    }
    #expect(t.document.file?.hasChanged == true)
  }

  @Test("a file stamp changes with the content, and a fingerprint tells files apart")
  func stamps() throws {
    let dir = try Folder()
    try dir.write("a.json", "{\"a\": 1}")
    let before = FileStamp(path: dir.file("a.json"))
    let print1 = FileFingerprint(path: dir.file("a.json"))
    #expect(print1 == FileFingerprint(bytes: Array("{\"a\": 1}".utf8)))
    usleep(10_000)
    try dir.write("a.json", "{\"a\": 2}")
    #expect(FileStamp(path: dir.file("a.json")) != before)
    #expect(FileFingerprint(path: dir.file("a.json")) != print1)
    #expect(FileFingerprint(path: dir.file("a.json"))?.size == 8)
    #expect(FileStamp(path: dir.file("missing.json")) == nil)
  }
}

@Suite("Exports with the user's marks and notes")
struct AnnotatedExportTests {
  @Test("JSON carries marks and notes as x- fields and opens again as the same events")
  func jsonRoundTrip() throws {
    let t = try Fixture.caseTimeline()
    var a = Annotations()
    a.setMarked("correa-pleads", true)
    a.setNote("correa-pleads", "Line one\n\"quoted\" \u{1B}[31m")
    a.setNote("bridi-arrested", "Bridi note")
    let index = AnnotationIndex(a, in: t)
    let events = Array(0..<UInt32(t.count))
    let json = ListFormat.json.render(t, events: events, annotations: index)
    #expect(json.contains("\"x-marked\": true"))
    #expect(json.contains("\"x-user-note\": \"Line one\\n\\\"quoted\\\" \\u001b[31m\""))
    #expect(json.contains("\"x-user-note\": \"Bridi note\""))
    let back = try TimelineDecoder.decode(Array(json.utf8), fileName: "export.json")
    #expect(back.count == t.count)
    #expect((0..<back.count).map { back.id(at: $0) } == (0..<t.count).map { t.id(at: $0) })
    // Without annotations the output is as before.
    #expect(!ListFormat.json.render(t, events: events).contains("x-"))
  }

  @Test("CSV gains two columns, Markdown a star and the note")
  func otherFormats() throws {
    let t = try Fixture.caseTimeline()
    var a = Annotations()
    a.setMarked("correa-pleads", true)
    a.setNote("correa-pleads", "Mine, with a comma")
    let index = AnnotationIndex(a, in: t)
    let e = t.eventNumbers(ofIDs: ["correa-pleads"])["correa-pleads"]!
    let csv = ListFormat.csv.render(t, events: [e], annotations: index)
    let lines = csv.split(separator: "\r\n")
    #expect(lines[0].hasSuffix(",notes,marked,user_note"))
    #expect(lines[1].hasSuffix(",yes,\"Mine, with a comma\""))
    let md = ListFormat.markdown.render(t, events: [e], annotations: index)
    #expect(md.contains("- ★ **2021-01** Correa pleads guilty"))
    #expect(md.contains("  My note: Mine, with a comma\n"))
  }

  @Test("the format of a file name", arguments: [
    ("view.json", ListFormat.json), ("VIEW.CSV", .csv), ("notes.md", .markdown), ("a.txt", .text), ("cal.ics", .ics),
    ("story.timelinejs.json", .timelinejs), ("story.tljs", .timelinejs),
  ])
  func formatOfAFileName(name: String, format: ListFormat) {
    #expect(ListFormat.forFileName(name) == format)
  }

  @Test("names without a known extension have no format")
  func noFormat() {
    for name in ["view", "view.pdf", "dir.json/file", ".json/x"] { #expect(ListFormat.forFileName(name) == nil) }
  }
}

@Suite("Watching the data file")
struct FileWatchTests {
  @Test("a change is reported once it has settled, once, and a file that goes away is said once")
  func settles() throws {
    let dir = try Folder()
    try dir.write("case.json", "one")
    var watch = FileWatch(path: dir.file("case.json"), loaded: FileStamp(path: dir.file("case.json")))
    #expect(watch.check() == .none)
    usleep(10_000)
    try dir.write("case.json", "two, longer")
    // Seen once: maybe still being written.
    #expect(watch.check() == .none)
    let settled = watch.check()
    guard case .changed(let stamp) = settled else {
      Issue.record("not reported: \(settled)")
      return
    }
    #expect(stamp == FileStamp(path: dir.file("case.json")))
    watch.accept(stamp)
    #expect(watch.check() == .none)
    #expect(watch.check() == .none)
    // Written again between two checks: the first new stamp is not reported, the settled one is.
    usleep(10_000)
    try dir.write("case.json", "three")
    #expect(watch.check() == .none)
    usleep(10_000)
    try dir.write("case.json", "four, still going")
    #expect(watch.check() == .none)
    #expect(watch.check() == .changed(FileStamp(path: dir.file("case.json"))!))
    try FileManager.default.removeItem(atPath: dir.file("case.json"))
    #expect(watch.check() == .none)
    #expect(watch.check() == .gone)
    #expect(watch.check() == .none)
  }
}
