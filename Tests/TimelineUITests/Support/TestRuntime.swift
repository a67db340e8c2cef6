import BundledTimeline
import SnapshotTesting
import Testing
import TimelineCore
@testable import TimelineUI

// A synchronous runtime for the tests: `update` runs, and every `.search` effect it asks for is run at
// once and fed back as `.searchFinished` (and every `.countFacet` as `.facetCounted`), as `timeline
// render` does. Other effects (quit, redraw) are
// handed back to the test.

/// Sends actions one after another, running searches synchronously. Returns the effects other than
/// searches (`.quit`, `.redraw`) that the actions produced, in order.
@discardableResult
func send(_ state: inout AppState, _ actions: Action...) -> [Effect] {
  send(&state, actions)
}

@discardableResult
func send(_ state: inout AppState, _ actions: [Action]) -> [Effect] {
  var others: [Effect] = []
  for action in actions {
    var pending = update(&state, action)
    while !pending.isEmpty {
      let effect = pending.removeFirst()
      if case .search(let request) = effect {
        pending += update(&state, .searchFinished(request.run(on: state.timeline, previous: nil)))
      } else if case .countFacet(let request) = effect {
        pending += update(&state, .facetCounted(request.run(on: state.timeline)))
      } else {
        others.append(effect)
      }
    }
  }
  return others
}

/// Presses keys written as `timeline render --keys` writes them: one character (`j`, `/`, `?`), a name
/// (`Enter`, `Esc`, `Tab`, `Space`, `Up`, `Down`, `PgUp`, `PgDn`, `Home`, `End`, `Backspace`), a control key
/// (`C-d`), or `text:WORD` to type a word.
@discardableResult
func press(_ state: inout AppState, _ keys: String...) -> [Effect] {
  send(&state, keys.flatMap(keyActions))
}

/// The actions for one key token (see `press`).
func keyActions(_ token: String) -> [Action] {
  if token.hasPrefix("text:") { return token.dropFirst(5).map { .key(.char($0)) } }
  let named: [String: Key] = [
    "enter": .enter, "esc": .escape, "tab": .tab, "space": .char(" "), "up": .up, "down": .down, "left": .left,
    "right": .right, "pgup": .pageUp, "pgdn": .pageDown, "home": .home, "end": .end, "backspace": .backspace,
    "delete": .delete, "s-tab": .backTab,
  ]
  if let key = named[token.lowercased()] { return [.key(key)] }
  if token.count == 3, token.lowercased().hasPrefix("c-"), let c = token.last { return [.key(.ctrl(Character(c.lowercased())))] }
  precondition(token.count == 1, "unknown key token \"\(token)\"")
  return [.key(.char(token.first!))]
}

/// A state after some keys, for tests that start somewhere other than the initial screen.
func makeState(_ timeline: Timeline = Fixtures.bundled, size: Size = Fixtures.large, keys: String...) -> AppState {
  var s = AppState(timeline: timeline, size: size)
  send(&s, keys.flatMap(keyActions))
  return s
}

// MARK: - Reading a state

extension AppState {
  /// The id of the selected event ("" when nothing is selected).
  var selectedID: String { selectedEvent.map { timeline.id(at: Int($0)) } ?? "" }

  /// The ids of the results, in order.
  var resultIDs: [String] { results.map { timeline.id(at: Int($0)) } }

  /// Where the event with this id is in `results`.
  func resultIndex(ofID id: String) -> Int? { results.firstIndex { timeline.id(at: Int($0)) == id } }

  /// Every list row from the first, as cursors: an oracle for "n rows down" that does not reuse
  /// `update`'s own row walking.
  var allRowCursors: [RowCursor] {
    rows(from: RowCursor(result: 0, part: .year), count: Int.max).map(\.cursor)
  }

  /// The cursor `n` rows from `c` (clamped to the list), by index into `allRowCursors`.
  func row(_ c: RowCursor, movedBy n: Int) -> RowCursor {
    let all = allRowCursors
    let i = all.firstIndex(of: c)!
    return all[min(max(0, i + n), all.count - 1)]
  }

  /// The rows the list shows on screen.
  var visibleRows: [RowCursor] { rows(from: list.top, count: Layout(state: self).list.height).map(\.cursor) }

  /// Whether the selected event's row is on screen.
  var selectionIsVisible: Bool { visibleRows.contains(RowCursor(result: selected, part: .event)) }
}

extension Timeline {
  /// The event number of the event with this id.
  func event(withID id: String) -> UInt32? {
    (0..<count).first { self.id(at: $0) == id }.map(UInt32.init)
  }

  /// Event ids, chronological, of the events for which `keep` holds: an oracle computed from the raw
  /// columns rather than through `Query`.
  func ids(where keep: (Int) -> Bool) -> [String] { (0..<count).filter(keep).map { id(at: $0) } }

  func hasPerson(_ event: Int, _ personID: String) -> Bool {
    personIndexes(at: event).contains { people[Int($0)].id == personID }
  }
}

// MARK: - Fixtures

enum Fixtures {
  static let large = Size(width: 120, height: 40)
  static let medium = Size(width: 80, height: 24)
  static let small = Size(width: 40, height: 10)

  /// The bundled Sparks Group case (57 events).
  static let bundled: Timeline = {
    do {
      return try TimelineDecoder.decode(BundledTimeline.sparksGroup, fileName: BundledTimeline.displayName)
    } catch {
      fatalError("the bundled timeline does not decode: \(error)")
    }
  }()

  /// A tiny hand-made timeline with the text that is hard to draw: accents (precomposed and
  /// combining), CJK and emoji, an escape sequence in a title, and a title too long for any screen.
  static let tiny: Timeline = {
    do {
      return try TimelineDecoder.decode(Array(tinyJSON.utf8), fileName: "tiny.json")
    } catch {
      fatalError("the tiny fixture does not decode: \(error)")
    }
  }()

  /// Ids of the tiny timeline's events, in chronological order.
  enum Tiny {
    static let accented = "cyprus-czechia"
    static let cjk = "tokyo-meeting"
    static let escape = "escape-title"
    static let long = "long-title"
    static let combining = "zurich-combining"

    static let cjkTitle = "東京で会議 🎉"
    static let longTitle =
      "A deliberately long title that keeps going well past the width of any list pane, so that the explorer has to cut it short with an ellipsis"
  }

  // Written by hand as JSON (escapes included) so it goes through the real decoder.
  static let tinyJSON = #"""
    {
      "format": "timeline/1",
      "title": "Petit cas · 東京 fixture",
      "description": "A hand-made fixture for the explorer's screen tests.",
      "sources": [
        {"id": "afp", "title": "Dépêche AFP", "publisher": "AFP", "date": "2020-08-26", "language": "fr"}
      ],
      "people": [
        {"id": "zoe-dupre", "name": "Zoë Dupré", "aliases": ["Zozo"], "role": "Coordinatrice à Genève."},
        {"id": "tanaka", "name": "田中太郎", "role": "会議の議長。"}
      ],
      "events": [
        {"id": "tokyo-meeting", "date": "2020-08-25", "title": "東京で会議 🎉",
         "summary": "会議は東京で開かれ、参加者は十二人だった。Zoë Dupré y assiste.", "countries": ["JP"],
         "people": ["tanaka", "zoe-dupre"], "confidence": "reported", "sources": ["afp"]},
        {"id": "cyprus-czechia", "date": "2020-08-23", "title": "Chypre et la République tchèque coopèrent",
         "summary": "Échange d'informations entre Nicosie et Prague.", "countries": ["CY", "CZ"],
         "people": ["zoe-dupre"], "confidence": "confirmed", "sources": ["afp"]},
        {"id": "escape-title", "date": "2020-08-26", "title": "Harmless \u001b]0;pwned\u0007 title",
         "summary": "The title carries an OSC sequence that would rename the terminal window.\u001b[2J",
         "countries": ["FR"], "confidence": "rumoured", "sources": ["afp"]},
        {"id": "long-title", "date": "2020-09", "title": "A deliberately long title that keeps going well past the width of any list pane, so that the explorer has to cut it short with an ellipsis",
         "countries": ["US"], "confidence": "disputed", "sources": ["afp"]},
        {"id": "zurich-combining", "date": "2021", "title": "Re\u0301union a\u0300 Zu\u0308rich",
         "summary": "Accents written as combining marks.", "countries": ["CH"], "confidence": "confirmed", "sources": ["afp"]}
      ]
    }
    """#
}

// MARK: - Snapshots

/// `assertSnapshot(of: text, as: .lines, named:)` with the test's name cut before its parameter list,
/// so a parameterized test `initialScreen(_:)` records `initialScreen.120x40.txt` rather than
/// `initialScreen-_.120x40.txt`. Snapshots go where swift-snapshot-testing puts them by default:
/// `__Snapshots__/<test file name>/` next to the test file.
func assertScreen(
  _ text: String, named name: String, fileID: StaticString = #fileID, filePath: StaticString = #filePath,
  testName: String = #function, line: UInt = #line, column: UInt = #column
) {
  let base = testName.split(separator: "(").first.map(String.init) ?? testName
  assertSnapshot(
    of: text, as: .lines, named: name, fileID: fileID, file: filePath, testName: base, line: line, column: column)
}
