/// A key press, decoded from the terminal by the backend so that `update` never sees terminal codes.
public enum Key: Hashable, Sendable, CustomStringConvertible {
  /// A printable character, space included.
  case char(Character)
  /// Control plus a letter, written in lower case (`.ctrl("c")`).
  case ctrl(Character)
  case up, down, left, right, home, end, pageUp, pageDown
  case enter, tab, backTab, escape, backspace, delete
  case function(Int)

  public var description: String {
    switch self {
    case .char(" "): "Space"
    case .char(let c): String(c)
    case .ctrl(let c): "Ctrl-" + c.uppercased()
    case .up: "↑"
    case .down: "↓"
    case .left: "←"
    case .right: "→"
    case .home: "Home"
    case .end: "End"
    case .pageUp: "PgUp"
    case .pageDown: "PgDn"
    case .enter: "Enter"
    case .tab: "Tab"
    case .backTab: "Shift-Tab"
    case .escape: "Esc"
    case .backspace: "Backspace"
    case .delete: "Delete"
    case .function(let n): "F\(n)"
    }
  }
}

/// A mouse event, in screen cells.
public struct MouseEvent: Hashable, Sendable {
  public enum Kind: Hashable, Sendable { case press, release, wheelUp, wheelDown }
  /// Keys held with the button, where the terminal reports them (many keep Ctrl and Shift with the wheel
  /// for themselves).
  public struct Modifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let shift = Modifiers(rawValue: 1)
    public static let control = Modifiers(rawValue: 2)
    public static let alt = Modifiers(rawValue: 4)
  }
  public var kind: Kind
  public var x: Int
  public var y: Int
  public var modifiers: Modifiers
  public init(_ kind: Kind, x: Int, y: Int, modifiers: Modifiers = []) {
    self.kind = kind
    self.x = x
    self.y = y
    self.modifiers = modifiers
  }
}

/// Everything that can happen to the explorer: the messages `update` handles.
public enum Action: Hashable, Sendable {
  case key(Key)
  case mouse(MouseEvent)
  case resized(Size)
  /// The explorer's first action, before its first frame: asks for what `AppState.init` and `restore`
  /// left pending (a search given at launch or restored from the session).
  case start
  /// The result of a `SearchRequest` the runtime ran (possibly in the background).
  case searchFinished(SearchResult)
  /// A picker's counts, found by a `FacetCountRequest` the runtime ran (in the background).
  case facetCounted(FacetCount)
  /// The data file changed on disk: read again, or found invalid or gone.
  case reloaded(Reload)
  /// What the runtime has to say about an effect it carried out (a file written, an opener that failed).
  case said(String)
  /// An export would replace a file: ask first.
  case exportWouldReplace(ExportRequest)
}

/// Work `update` asks the runtime to do; the runtime answers with an `Action`.
public enum Effect: Hashable, Sendable {
  case quit
  /// Repaint the whole screen (Ctrl-L: the terminal may hold garbage from another program).
  case redraw
  case search(SearchRequest)
  /// Count a picker's values under the other filters (a large timeline's picker opens before its counts).
  case countFacet(FacetCountRequest)
  /// Keep the prompts' history for the data file (the runtime writes it).
  case saveHistory(History)
  /// Put text on the terminal's clipboard (OSC 52).
  case copy(String)
  /// Open a web address with the system's opener.
  case open(String)
  /// Write the listed events to a file.
  case export(ExportRequest)
  /// Save the session now (a mark or a note changed).
  case saveSession
  /// Read the data file again now.
  case reload
}

/// A free-text search to run over the current results.
public struct SearchRequest: Hashable, Sendable {
  /// Increases with each request; a result for an older one is ignored.
  public var generation: Int
  /// The filters and the text.
  public var query: Query
  /// The user's notes by event number, searched with the events' own text.
  public var userNotes: [UInt32: String] = [:]
  /// `UserState.notesVersion` when asked: an answer found with other notes cannot be narrowed.
  public var notesVersion = 0
  /// With the word index (built first if need be), or by reading the text when it is not built yet.
  public var textSearch: Timeline.TextSearch = .index
}

public struct SearchResult: Hashable, Sendable {
  public var generation: Int
  public var query: Query
  public var notesVersion = 0
  /// Matching event numbers, chronological (a bitset when many: `EventMatches`).
  public var matches: EventMatches

  public init(generation: Int, query: Query, notesVersion: Int = 0, matches: EventMatches) {
    self.generation = generation
    self.query = query
    self.notesVersion = notesVersion
    self.matches = matches
  }

  public init(generation: Int, query: Query, notesVersion: Int = 0, matches: [UInt32]) {
    self.init(generation: generation, query: query, notesVersion: notesVersion, matches: EventMatches(matches))
  }
}

import TimelineCore

/// The counts a picker opened without them waits for: a facet's values under the other filters.
public struct FacetCountRequest: Hashable, Sendable {
  /// `AppState.countGeneration` when asked: an answer to an older request is dropped.
  public var generation: Int
  public var facet: Facet
  /// The query when the picker opened (its own facet's filter does not count).
  public var query: Query
  /// The explorer's filtered events when the facet is not filtered (they are `query.clearing(facet)`'s).
  public var filtered: [UInt32]?

  /// Counts: the pure function a runtime calls, on any thread. The answer is also kept by the timeline,
  /// so the picker opened again under the same other filters finds it at once.
  public func run(on timeline: Timeline) -> FacetCount {
    FacetCount(
      generation: generation, facet: facet, others: query.clearing(facet),
      histogram: timeline.facetHistogram(facet, for: query, buckets: Picker.sparkBuckets, among: filtered))
  }
}

public struct FacetCount: Hashable, Sendable {
  public var generation: Int
  public var facet: Facet
  /// The filters counted under.
  public var others: Query
  public var histogram: FacetHistogram
}
