import BundledTimeline
import Foundation
import Testing
import TimelineCore
@testable import TimelineUI

#if canImport(Glibc)
  import Glibc
#endif

/// What the runtime asked of the world, for the tests: bytes for the terminal, addresses opened,
/// sessions saved. Searches run at once.
final class RecordingServices: ExplorerServices {
  var sent: [UInt8] = []
  var opened: [String] = []
  var sessions: [Session] = []
  var histories = 0
  var reloads = 0
  var redraws = 0
  var openProblem: String?
  var inTmux = false

  func search(_ request: SearchRequest, on timeline: Timeline, previous: SearchResult?) -> SearchResult? {
    request.run(on: timeline, previous: previous)
  }
  func reload() { reloads += 1 }
  func sendToTerminal(_ bytes: [UInt8]) { sent += bytes }
  func open(_ url: String) -> String? {
    opened.append(url)
    return openProblem
  }
  func saveSession(_ session: Session) -> String? {
    sessions.append(session)
    return nil
  }
  func saveHistory(_ history: History) { histories += 1 }
  func redraw() { redraws += 1 }
}

/// A runtime on a state, with its recorder.
struct Harness {
  var runtime: Runtime
  let services: RecordingServices

  init(_ state: AppState) {
    services = RecordingServices()
    runtime = Runtime(state: state, services: services)
  }

  init(_ timeline: Timeline = Fixtures.bundled, size: Size = Fixtures.large) {
    self.init(AppState(timeline: timeline, size: size))
  }

  var state: AppState { runtime.state }

  /// Presses keys written as `press` takes them; false if one of them quit.
  @discardableResult
  mutating func press(_ keys: String...) -> Bool {
    for action in keys.flatMap(keyActions) where !runtime.handle(action) { return false }
    return true
  }

  @discardableResult
  mutating func send(_ action: Action) -> Bool { runtime.handle(action) }

  var screen: String { view(state).text }
}

/// A small case whose events have no address, one, and two, to copy and open.
enum SourcesFixture {
  static let oneURL = "https://example.org/2020/08/25/paphos?l=en"
  static let secondURL = "https://news.example.com/a/very/long/path/that/does/not/fit/on/one/line/of/the/detail/pane/at/all/even/when/it/is/wide/\(String(repeating: "x", count: 60))"

  static let json = """
    {
      "format": "timeline/1",
      "title": "Sources",
      "description": "",
      "sources": [
        {"id": "a", "title": "First report", "publisher": "Agency", "date": "2020-08-26", "language": "en", "url": "\(oneURL)"},
        {"id": "b", "title": "Second report", "publisher": "Paper", "date": "2020-08-27", "language": "en", "url": "\(secondURL)"},
        {"id": "c", "title": "Printed only", "publisher": "Print", "date": "2020-08-28", "language": "en"}
      ],
      "events": [
        {"id": "none", "date": "2020-08-01", "title": "No address", "confidence": "confirmed", "sources": ["c"]},
        {"id": "one", "date": "2020-08-25", "title": "Arrest in Paphos", "confidence": "confirmed", "sources": ["a", "c"]},
        {"id": "two", "date": "2020-09-01", "title": "Two reports", "confidence": "reported", "sources": ["a", "b"]}
      ]
    }
    """

  static let timeline: Timeline = {
    do {
      return try TimelineDecoder.decode(Array(json.utf8), fileName: "sources.json")
    } catch {
      fatalError("the sources fixture does not decode: \(error)")
    }
  }()
}

/// A folder of its own for a test, removed afterwards.
final class TestFolder {
  let path: String
  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("timeline-ui-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }
  func file(_ name: String) -> String { path + "/" + name }
  func read(_ name: String) -> String? { try? String(contentsOfFile: file(name), encoding: .utf8) }
}

@Suite("Marks, notes, sources, export, sessions, reload")
struct KeepAndShareTests {
  // MARK: - Marks

  @Test("m marks the selected event: ★ in the list, the detail, the time strip and the header; m again unmarks")
  func toggleMark() throws {
    var h = Harness()
    h.press("j", "j")
    let id = h.state.selectedID
    h.press("m")
    #expect(h.state.user.annotations.marks == [id])
    #expect(h.state.message == "marked (1 marked)")
    #expect(h.services.sessions.last?.annotations.marks == [id])
    let lines = h.screen.split(separator: "\n").map(String.init)
    #expect(lines[0].hasSuffix("★ 1 · 57 events"))
    #expect(lines.contains { $0.hasPrefix("▸★") })
    #expect(lines.contains { $0.contains("★ marked") })
    // On the time strip's axis, once the selection's ▲ is elsewhere.
    h.press("G")
    let axis = h.screen.split(separator: "\n").map(String.init)[3]
    #expect(axis.hasPrefix(" ★") && axis.contains("▲"), "time strip axis: \(axis)")
    h.press("g", "j", "j")
    h.press("m")
    #expect(h.state.user.annotations.marks.isEmpty)
    #expect(!h.screen.contains("★"))
  }

  @Test("' and \" go to the next and previous marked event, wrapping around")
  func jumpBetweenMarks() {
    var h = Harness()
    h.press("'")
    #expect(h.state.message == "no marks: m marks the selected event")
    h.press("j", "j", "j", "m")
    for _ in 0..<10 { h.press("j") }
    h.press("m", "g")
    let first = h.state.results[3]
    let second = h.state.results[13]
    h.press("'")
    #expect(h.state.selectedEvent == first)
    h.press("'")
    #expect(h.state.selectedEvent == second)
    h.press("'")
    #expect(h.state.selectedEvent == first)
    #expect(h.state.message == "wrapped to the first mark")
    h.press("\"")
    #expect(h.state.selectedEvent == second)
    #expect(h.state.message == "wrapped to the last mark")
  }

  @Test("M lists only the marked events, with the other filters, and back")
  func markedOnly() {
    var h = Harness()
    h.press("M")
    #expect(h.state.message == "no marks yet: m marks the selected event")
    let us = Fixtures.bundled.ids { Fixtures.bundled.countryCodes(at: $0).contains("US") }
    // Mark two US events and one that is not.
    for id in [us[0], us[2]] + Fixtures.bundled.ids(where: { !Fixtures.bundled.countryCodes(at: $0).contains("US") }).prefix(1) {
      if let r = h.state.resultIndex(ofID: id) {
        h.runtime = Runtime(state: { var s = h.state; s.select(r); return s }(), services: h.services)
        h.press("m")
      }
    }
    h.press("M")
    #expect(h.state.results.count == 3)
    #expect(h.screen.split(separator: "\n")[0].hasSuffix("★ 3 only · 3 of 57 events"))
    h.press("c", "text:united states", "enter")
    #expect(Set(h.state.resultIDs) == Set([us[0], us[2]]))
    h.press("M")
    #expect(h.state.results.count == us.count)
    #expect(h.state.message == "every event again")
  }

  // MARK: - Notes

  @Test("a writes a note over several lines; it shows apart from the data's notes, with ✎ in the list, and search finds it")
  func notes() {
    var h = Harness()
    h.press("a", "text:Ask Kovács about", "c-o", "text:the Zanzibar lead")
    guard case .note(let editor) = h.state.overlay else {
      Issue.record("no note editor")
      return
    }
    #expect(editor.editor.text == "Ask Kovács about\nthe Zanzibar lead")
    #expect(h.screen.contains("Your note on \(h.state.selectedID)"))
    #expect(h.screen.contains("│ Ask Kovács about"))
    h.press("enter")
    let id = h.state.selectedID
    #expect(h.state.user.annotations.note(id) == "Ask Kovács about\nthe Zanzibar lead")
    #expect(h.state.message == "note saved")
    #expect(h.services.sessions.last?.annotations.notes == [id: "Ask Kovács about\nthe Zanzibar lead"])
    let screen = h.screen
    #expect(screen.contains("│ Your note (a to edit)"))
    #expect(screen.contains("│ the Zanzibar lead"))
    #expect(screen.split(separator: "\n").contains { $0.hasPrefix("▸✎") })
    h.press("g", "/", "text:zanzibar", "enter")
    #expect(h.state.search?.matches.array == [h.state.results[0]])
    #expect(h.state.selectedID == id)
    // Esc leaves the note as it was; an empty note removes it.
    h.press("a", "text: more", "esc")
    #expect(h.state.user.annotations.note(id) == "Ask Kovács about\nthe Zanzibar lead")
    #expect(h.state.message == "note unchanged")
    h.press("a", "c-u", "enter")
    #expect(h.state.user.annotations.note(id) == nil)
    #expect(h.state.message == "note removed")
  }

  @Test("in the note editor, ↑ and ↓ move between its lines")
  func noteLines() {
    var s = AppState(timeline: Fixtures.bundled, size: Fixtures.large)
    press(&s, "a", "text:first line", "c-o", "text:second")
    press(&s, "up", "text:X")
    guard case .note(let e) = s.overlay else {
      Issue.record("no note editor")
      return
    }
    #expect(e.editor.text == "first Xline\nsecond")
    press(&s, "down", "text:Y")
    guard case .note(let e2) = s.overlay else { return }
    #expect(e2.editor.text == "first Xline\nsecondY")
  }

  // MARK: - Sources

  @Test("y copies the only address with OSC 52, exactly; O opens it with the address alone")
  func copyAndOpenOne() {
    var h = Harness(SourcesFixture.timeline)
    h.press("j")
    #expect(h.state.selectedID == "one")
    h.press("y")
    #expect(h.services.sent == Array("\u{1B}]52;c;".utf8) + Array(Data(SourcesFixture.oneURL.utf8).base64EncodedString().utf8) + [0x07])
    #expect(h.state.message?.hasPrefix("copied https://example.org/2020/") == true)
    h.press("O")
    #expect(h.services.opened == [SourcesFixture.oneURL])
    #expect(h.state.message?.hasPrefix("opening https://example.org/") == true)
    // What the opener could not do is said.
    h.services.openProblem = "cannot open: xdg-open not found (set BROWSER to your browser)"
    h.press("O")
    #expect(h.state.message == "cannot open: xdg-open not found (set BROWSER to your browser)")
  }

  @Test("with several addresses a chooser asks which; Y also offers the title and date, and the id")
  func chooser() {
    var h = Harness(SourcesFixture.timeline)
    h.press("G", "y")
    guard case .chooser(let c) = h.state.overlay else {
      Issue.record("no chooser")
      return
    }
    #expect(c.choices.map(\.value) == [SourcesFixture.oneURL, SourcesFixture.secondURL])
    #expect(h.screen.contains("Copy to the clipboard"))
    h.press("j", "k", "j", "enter")
    #expect(h.services.sent == ControlSequence.clipboard(SourcesFixture.secondURL))
    h.press("Y", "1")
    #expect(h.services.sent.suffix(from: ControlSequence.clipboard(SourcesFixture.secondURL).count) == ArraySlice(ControlSequence.clipboard("Two reports (2020-09-01)")))
    h.press("Y", "j", "enter")
    #expect(h.services.sent.count > 0)
    #expect(h.state.message == "copied two")
    h.press("O", "esc")
    #expect(h.services.opened.isEmpty)
    #expect(h.state.overlay == nil)
    h.press("O", "2")
    #expect(h.services.opened == [SourcesFixture.secondURL])
    h.press("g", "y", "O")
    #expect(h.state.message == "this event's sources have no address")
  }

  @Test("inside tmux the clipboard sequence also goes through tmux's passthrough")
  func tmux() {
    var h = Harness(SourcesFixture.timeline)
    h.services.inTmux = true
    h.press("j", "y")
    #expect(h.services.sent == ControlSequence.clipboard(SourcesFixture.oneURL, inTmux: true))
  }

  @Test("addresses in the detail pane: whole on a line where they fit, else on lines of their own; each a link")
  func addressesInTheDetail() {
    var s = AppState(timeline: SourcesFixture.timeline, size: Fixtures.large)
    press(&s, "G")
    let buffer = view(s)
    let lines = buffer.text.split(separator: "\n").map(String.init)
    // The short one on one line, never cut.
    #expect(lines.contains { $0.hasSuffix("│   " + SourcesFixture.oneURL) })
    // The long one: consecutive lines that hold nothing else, and read back to the address.
    let detail = lines.map { $0.split(separator: "│", maxSplits: 1).dropFirst().first.map { String($0.dropFirst()) } ?? "" }
    guard let first = detail.firstIndex(where: { $0.hasPrefix("https://news.example.com") }) else {
      Issue.record("the long address is not shown:\n\(buffer.text)")
      return
    }
    let pieces = detail[first...].prefix { !$0.isEmpty && !$0.hasPrefix("id:") }
    #expect(pieces.count >= 2)
    #expect(pieces.joined() == SourcesFixture.secondURL)
    #expect(Set(buffer.links.map(\.url)) == [SourcesFixture.oneURL, SourcesFixture.secondURL])
    #expect(buffer.links.filter { $0.url == SourcesFixture.secondURL }.count == pieces.count)
    // Under a box over the panes the links are gone with the text.
    press(&s, "?")
    #expect(view(s).links.isEmpty)
  }

  // MARK: - Export

  @Test("w writes what is listed, exactly as list prints it, asks before replacing a file, and says where")
  func export() throws {
    let dir = try TestFolder()
    var h = Harness()
    h.press("m", "c", "text:cyprus", "enter", "a", "text:my note", "enter")
    h.press("w")
    guard case .prompt(let p) = h.state.overlay else {
      Issue.record("no prompt")
      return
    }
    #expect(p.text == "sparks-group-view.json")
    let path = dir.file("view.csv")
    h.press("c-u", "text:\(path)", "enter")
    let expected = ListFormat.csv.render(h.state.timeline, events: h.state.results, annotations: h.state.user.index)
    #expect(dir.read("view.csv") == expected)
    #expect(h.state.message == "wrote \(h.state.results.count) events to \(path) (csv)")
    #expect(expected.contains("my note"))

    // Again: asked first; n keeps the file.
    try "keep".write(toFile: path, atomically: false, encoding: .utf8)
    h.press("w", "c-u", "text:\(path)", "enter")
    #expect(h.screen.split(separator: "\n").last?.hasPrefix("\(path) exists: replace it? (y/n)") == true)
    h.press("n")
    #expect(dir.read("view.csv") == "keep")
    #expect(h.state.message == "not written")
    h.press("w", "c-u", "text:\(path)", "enter", "y")
    #expect(dir.read("view.csv") == expected)
    #expect(FileManager.default.subpaths(atPath: dir.path)?.sorted() == ["view.csv"])
  }

  @Test("an unknown extension, a symbolic link and a folder are refused with a reason")
  func exportRefusals() throws {
    let dir = try TestFolder()
    try "precious".write(toFile: dir.file("target.txt"), atomically: false, encoding: .utf8)
    #expect(symlink(dir.file("target.txt"), dir.file("link.json")) == 0)
    var h = Harness()
    h.press("w", "c-u", "text:\(dir.file("view.pdf"))", "enter")
    #expect(h.state.message == "unknown format: end the name with .json .csv .md .txt .ics or .tljs")
    guard case .prompt = h.state.overlay else {
      Issue.record("the prompt closed")
      return
    }
    h.press("c-u", "text:\(dir.file("link.json"))", "enter")
    #expect(h.state.message == "\(dir.file("link.json")) is a symbolic link: not replaced; choose another name")
    #expect(dir.read("target.txt") == "precious")
    h.press("w", "c-u", "text:\(dir.path)/.json", "enter")
    #expect(h.state.message?.hasPrefix("wrote 57 events to") == true)
  }

  // MARK: - Sessions

  @Test("a session keeps filters, search, marked-only, selection, focus, marks and notes, and restores them")
  func sessionRoundTrip() {
    var h = Harness()
    h.press("c", "text:united states", "enter", "j", "m", "j", "j", "m", "a", "text:mine", "enter")
    h.press("/", "text:correa", "enter", "enter")
    let saved = h.state.session()
    #expect(saved.focus == "detail")
    #expect(saved.search?.text == "correa")
    #expect(saved.selected == h.state.selectedID)

    var fresh = AppState(timeline: Fixtures.bundled, size: Fixtures.large)
    let said = fresh.restore(saved)
    #expect(fresh.query == h.state.query)
    #expect(fresh.search?.text == "correa")
    #expect(fresh.search?.matches == h.state.search?.matches)
    #expect(fresh.selectedID == h.state.selectedID)
    #expect(fresh.focus == .detail)
    #expect(fresh.user.annotations == h.state.user.annotations)
    #expect(said == "session restored: 1 filter, search \"correa\", 2 marks, 1 note (C-r starts afresh)")
  }

  @Test("Ctrl-R starts afresh and keeps the marks and notes")
  func reset() {
    var h = Harness()
    h.press("c", "text:cyprus", "enter", "m", "M", "/", "text:arrest", "enter", "c-r")
    #expect(h.state.query == Query())
    #expect(h.state.search == nil)
    #expect(!h.state.user.markedOnly)
    #expect(h.state.selected == 0)
    #expect(h.state.user.annotations.marks.count == 1)
    #expect(h.state.message == "afresh: no filters, no search (marks and notes kept; u undoes)")
    h.press("u")
    #expect(h.state.query.countries == ["CY"])
  }

  @Test("quitting saves the session")
  func quitSaves() {
    var h = Harness()
    h.press("j", "j")
    let goesOn = h.press("q")
    #expect(!goesOn)
    #expect(h.services.sessions.last?.selected == h.state.selectedID)
  }

  // MARK: - Reload

  static func editedCase() throws -> Timeline {
    // One event more at the start, and the selected event's title changed.
    var text = String(decoding: BundledTimeline.sparksGroup, as: UTF8.self)
    text = text.replacingOccurrences(of: "\"George Bridi arrested in Paphos, Cyprus\"", with: "\"George Bridi arrested in Paphos (edited)\"")
    let marker = "\"events\": ["
    let r = try #require(text.range(of: marker))
    text.insert(
      contentsOf: """

        {"id": "added-first", "date": "2000", "title": "Added at the start", "confidence": "reported", "sources": ["S1"]},
      """, at: r.upperBound)
    return try TimelineDecoder.decode(Array(text.utf8), fileName: "case.json")
  }

  @Test("a reload after an edit keeps the selection by id, where it sits on screen, the filters and the marks")
  func reloadKeepsTheSelection() throws {
    var h = Harness()
    h.press("c", "text:cyprus", "enter")
    let row = h.state.resultIndex(ofID: "2020-08-23-bridi-arrested-paphos")!
    h.runtime = Runtime(state: { var s = h.state; s.select(row); return s }(), services: h.services)
    h.press("m")
    let before = h.screen.split(separator: "\n").firstIndex { $0.hasPrefix("▸") }
    h.send(.reloaded(Reload(.loaded(TimelineValue(try Self.editedCase())))))
    #expect(h.state.timeline.count == 58)
    #expect(h.state.selectedID == "2020-08-23-bridi-arrested-paphos")
    #expect(h.state.query.countries == ["CY"])
    #expect(h.state.user.index.marked.map { h.state.timeline.id(at: Int($0)) } == ["2020-08-23-bridi-arrested-paphos"])
    let lines = h.screen.split(separator: "\n")
    #expect(lines.firstIndex { $0.hasPrefix("▸") } == before)
    #expect(lines.contains { $0.contains("George Bridi arrested in Paphos (edited)") })
    #expect(h.state.message == "file changed: read again, 58 events")
  }

  @Test("a changed file that no longer validates keeps the view; ! lists the positioned problems")
  func brokenEdit() {
    var h = Harness()
    h.press("j", "j")
    let shown = h.screen
    let problems = [
      "case.json:763:21: event \"2011-disc-supply-roles\", field \"confidence\": invalid confidence \"sure\"",
      "case.json:783:21: event \"2011-sparks-conduct-begins\", field \"confidence\": invalid confidence \"sure\"",
    ]
    h.send(.reloaded(Reload(.invalid(problems: problems, total: 3))))
    #expect(h.state.timeline === Fixtures.bundled)
    #expect(h.state.message == "file changed: 3 problems (! lists them; the last good view stays)")
    #expect(h.screen.split(separator: "\n")[0].hasSuffix("file changed: 3 problems (!) · 57 events"))
    // Everything but the header's count and the footer is as it was.
    #expect(h.screen.split(separator: "\n").dropFirst().dropLast() == shown.split(separator: "\n").dropFirst().dropLast())
    h.press("!")
    #expect(h.state.overlay == .problems(scroll: 0))
    #expect(h.screen.contains("3 problems in the changed file"))
    #expect(h.screen.contains("case.json:763:21: event \"2011-disc-supply-roles\""))
    #expect(h.screen.contains("… and 1 more"))
    h.press("j", "k", "G", "g", "q")
    #expect(h.state.overlay == nil)
  }

  @Test("marks on events no longer in the file are kept and said")
  func goneMarks() throws {
    var h = Harness()
    h.press("j", "m")
    let id = h.state.selectedID
    let text = String(decoding: BundledTimeline.sparksGroup, as: UTF8.self)
    // The marked event removed: its object is the first in the events array.
    let start = try #require(text.range(of: "{\n      \"id\": \"\(id)\""))
    let end = try #require(text.range(of: "\n    },", range: start.upperBound..<text.endIndex))
    var edited = text
    edited.removeSubrange(start.lowerBound..<end.upperBound)
    let t = try TimelineDecoder.decode(Array(edited.utf8), fileName: "case.json")
    h.send(.reloaded(Reload(.loaded(TimelineValue(t)))))
    #expect(h.state.user.annotations.marks == [id])
    #expect(h.state.user.index.missingMarks == [id])
    #expect(h.state.message == "file changed: read again, 56 events; the selected event is gone; 1 mark on events no longer in the file (kept)")
  }

  @Test("R reads the file again; ! without problems says so; gone and changed files are said")
  func reloadKeys() {
    var h = Harness()
    h.press("R")
    #expect(h.services.reloads == 1)
    h.press("!")
    #expect(h.state.message == "no problems: the view is the file as it is")
    h.send(.reloaded(Reload(.gone)))
    #expect(h.state.message == "the file is no longer on disk; the view stays as it was")
    #expect(h.screen.split(separator: "\n")[0].hasSuffix("file gone · 57 events"))
  }
}
