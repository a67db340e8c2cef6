import TimelineCore

/// The whole state of the explorer: one value that `update` changes and `view` draws.
///
/// Derived data that is costly to recompute (the filtered results, the search matches) is kept here
/// and refreshed by `update` when its inputs change, so `view` stays a cheap function of the state.
public struct AppState: Equatable, Sendable {
  /// The timeline shown; replaced when the data file changes on disk and reads again (`replaceTimeline`).
  public internal(set) var timeline: Timeline
  public var size: Size
  /// False under `NO_COLOR` or `--no-color`: attributes only.
  public var colorEnabled: Bool
  public var mouseEnabled: Bool

  /// The filters in force (facets and dates). Free text lives in `search`: it highlights, or hides
  /// what does not match when it is a filter (`&`).
  public private(set) var query: Query
  /// Events passing the filters, as event numbers in chronological order.
  public private(set) var filtered: [UInt32]
  /// The events listed: the filtered ones, or those of them that match a search used as a filter.
  public private(set) var results: [UInt32] {
    didSet { rebuildLanes() }
  }
  /// Index into `results` of the selected event (0 when there are none). Shared by every view.
  public var selected: Int = 0
  /// Which view the body shows. Every view shows the same results, search and selection.
  public var mode: ViewMode = .list
  /// Where the list is scrolled.
  public var list = ListState()
  /// The timeline view's lanes, zoom and window.
  public var lanes = LanesState()
  /// What the timeline view computes from the results (kept out of `==`: it follows from the rest).
  public internal(set) var lanesData: LanesData?

  public enum Focus: Hashable, Sendable { case list, detail }
  public var focus: Focus = .list
  /// First line of the detail pane on screen.
  public var detailScroll = 0

  public var overlay: Overlay?
  /// The search: change it with `setSearch`, which keeps the results in step (a pending search that
  /// keeps the previous matches until its answer may be set directly).
  public internal(set) var search: SearchState?
  /// A one-line message for the footer ("no match", "no event in 2019"); cleared by the next key.
  public var message: String?

  /// Counter for search requests, so late answers to old requests are ignored.
  public var searchGeneration = 0
  /// Counter for pickers' counts asked of the runtime (`Effect.countFacet`), so that an answer for a
  /// picker since closed, or opened again, is dropped.
  public var countGeneration = 0
  /// From this many events, a picker whose counts are not known yet opens at once, with "…" for its
  /// counts, and the runtime finds them (in the background); smaller timelines count on the key.
  public var backgroundCountsFrom = AppState.backgroundCountThreshold
  public static let backgroundCountThreshold = 20_000

  /// What was typed at the prompts (loaded by the runtime for the data file, saved when it grows).
  public var history = History()

  /// One end of a date range being brushed on the time strip (`v`, or a click on a bar): the period
  /// of the strip's bucket there. The other end is the selected event's bucket until `v` or a click
  /// sets the range.
  public var brush: Brush?
  public struct Brush: Hashable, Sendable {
    public var lower: TimelineDate
    public var upper: TimelineDate
  }

  /// Filters and searches as they were before each change, newest last, for `u`.
  public internal(set) var undoStack: [Snapshot] = []
  public struct Snapshot: Hashable, Sendable {
    public var query: Query
    public var search: SearchState?
  }
  static let undoLimit = 100
  /// The user's marks and notes, marked-only, and what is known of the data file on disk.
  public var user = UserState()

  /// Which keys run which command (the command table's, or a configuration file's).
  public var bindings = KeyBindings.standard
  /// The styles the views draw with (a preset, or a configuration file's).
  public var theme = Theme.dark

  /// With text in `query`, the search is answered at once (`searchNow`, read without the word index),
  /// or left pending for `Action.start` to ask of the runtime, which may answer it in the background.
  public init(
    timeline: Timeline, size: Size, query: Query = Query(), colorEnabled: Bool = true, mouseEnabled: Bool = true,
    searchNow: Bool = true
  ) {
    self.timeline = timeline
    self.size = size
    self.colorEnabled = colorEnabled
    self.mouseEnabled = mouseEnabled
    let filters = query.clearingText
    self.query = filters
    filtered = timeline.evaluate(filters)
    results = filtered
    if query.hasText {
      // Text given on the command line is a filter, as `list --search` prints it (`&` shows every event
      // again with the matches highlighted). Read without the word index: one search does not pay for it.
      var s = SearchState(text: query.text, regex: query.regex, isFilter: true)
      if searchNow {
        s.textMatches = timeline.matches(query.textOnly, narrowing: nil, textSearch: .scan)
      } else {
        searchGeneration += 1
        s.pending = true
        s.unanswered = true
      }
      search = s
      refreshMatches()
    }
    scrollToSelection()
  }

  public static func == (a: AppState, b: AppState) -> Bool {
    a.timeline === b.timeline && a.size == b.size && a.colorEnabled == b.colorEnabled && a.mouseEnabled == b.mouseEnabled
      && a.query == b.query && a.filtered == b.filtered && a.results == b.results && a.selected == b.selected && a.mode == b.mode
      && a.list == b.list && a.lanes == b.lanes
      && a.focus == b.focus && a.detailScroll == b.detailScroll && a.overlay == b.overlay && a.search == b.search
      && a.message == b.message && a.searchGeneration == b.searchGeneration && a.history == b.history
      && a.countGeneration == b.countGeneration && a.backgroundCountsFrom == b.backgroundCountsFrom
      && a.undoStack == b.undoStack && a.user == b.user
      && a.bindings == b.bindings && a.theme == b.theme && a.brush == b.brush
  }

  /// Changes the filters and recomputes the results, keeping the selected event when it survives
  /// (else the nearest in time).
  public mutating func setQuery(_ newQuery: Query) {
    query = newQuery.clearingText
    filtered = timeline.evaluate(query)
    relist()
  }

  /// Changes the search and the results with it (a search used as a filter hides what it does not
  /// match), keeping the selected event when it survives.
  public mutating func setSearch(_ newSearch: SearchState?) {
    search = newSearch
    relist()
  }

  /// The matches among the filtered events, and the list, after the filters or the search changed.
  mutating func relist() {
    let previousEvent = selectedEvent
    let previousKey = previousEvent.map { timeline.startKey(at: Int($0)) }
    let before = results
    refreshMatches()
    // A search that only highlights leaves the list, and where it is scrolled, as it was.
    if results == before { return }
    if let e = previousEvent, let i = resultIndex(ofEvent: e) {
      selected = i
    } else if let key = previousKey {
      selected = min(max(0, results.count - 1), SortedLists.partitionPoint(results.count) { timeline.startKey(at: Int(results[$0])) >= key })
    } else {
      selected = 0
    }
    if selectedEvent != previousEvent { detailScroll = 0 }
    list.top = RowCursor(result: selected, part: .event)
    scrollToSelection()
  }

  /// `matches` from the search's answer over the whole timeline and the filters (an intersection, so
  /// a filter change never waits for a search), and `results`.
  private mutating func refreshMatches() {
    // Marked-only (`M`) narrows the filtered events before the search meets them.
    let listed = user.listed(filtered)
    if var s = search {
      s.matches = s.unanswered ? [] : s.textMatches.intersection(listed)
      search = s
      // Only a search used as a filter lists its matches (a highlighting one reads them as bits).
      results = s.isFilter && !s.unanswered ? s.matches.array : listed
    } else {
      results = listed
    }
  }

  /// Keeps the filters and search as they are now, for `u` to come back to.
  mutating func rememberForUndo() {
    let now = Snapshot(query: query, search: search)
    guard undoStack.last != now else { return }
    undoStack.append(now)
    if undoStack.count > Self.undoLimit { undoStack.removeFirst(undoStack.count - Self.undoLimit) }
  }

  /// Goes back to the filters and search before the last change; false when there is none.
  mutating func undo() -> Bool {
    guard let last = undoStack.popLast() else { return false }
    query = last.query
    filtered = timeline.evaluate(query)
    search = last.search
    relist()
    return true
  }

  /// The selected event's number, if any event passes the filters.
  public var selectedEvent: UInt32? { results.isEmpty ? nil : results[min(selected, results.count - 1)] }

  /// Where an event is in `results` (binary search: results are sorted).
  public func resultIndex(ofEvent e: UInt32) -> Int? {
    let i = SortedLists.partitionPoint(results.count) { results[$0] >= e }
    return i < results.count && results[i] == e ? i : nil
  }
}

/// The views of the results: the list, or the timeline's lanes on a time axis (`T` switches).
public enum ViewMode: Hashable, Sendable {
  case list, lanes
}

/// The list's own state: where it is scrolled. The selection is the app's (`AppState.selected`), so
/// that every view shows the same event.
public struct ListState: Hashable, Sendable {
  /// The first row on screen.
  public var top = RowCursor(result: 0, part: .event)

  public init() {}
}

/// An open overlay: at most one at a time.
public enum Overlay: Hashable, Sendable {
  case help(scroll: Int)
  case picker(Picker)
  case prompt(Prompt)
  case chooser(Chooser)
  case note(NoteEditor)
  /// The problems of a changed data file that no longer validates (`!`).
  case problems(scroll: Int)

  /// A prompt takes only the bottom line; every other overlay is a box over the panes.
  var isPrompt: Bool {
    if case .prompt = self { return true }
    return false
  }
}

/// A line of input at the bottom of the screen.
public struct Prompt: Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    /// `/`: incremental search; remembers the selected event and the search before it, for Esc.
    case search(from: UInt32?, previous: SearchState?)
    /// `:`: go to a date.
    case goToDate
    /// `w`: the file to write the listed events to.
    case export
    /// The export's file exists: y replaces it.
    case overwrite(ExportRequest)

    var history: History.Kind? {
      switch self {
      case .search: .search
      case .goToDate: .date
      case .export: .export
      case .overwrite: nil
      }
    }
  }
  public var kind: Kind
  public var editor: LineEditor
  public var recall = Recall()
  /// For a search: whether the text is a regular expression (Ctrl-R).
  public var regex = false

  public init(kind: Kind, text: String = "", regex: Bool = false) {
    self.kind = kind
    editor = LineEditor(text)
    self.regex = regex
  }

  public var text: String { editor.text }
}

/// A kept or live search: its text, whether it is a filter, and the events it matches.
public struct SearchState: Hashable, Sendable {
  public var text: String
  /// Whether `text` is a regular expression.
  public var regex: Bool
  /// Whether the search hides the events it does not match (`&`, as less and csvlens have it) rather
  /// than highlighting the ones it does.
  public var isFilter: Bool
  /// The text as a pattern, for highlighting what matched.
  public let pattern: SearchPattern
  /// Every event of the timeline the text matches, whatever the filters (so a filter change needs no
  /// new search): chronological; a bitset when many (`EventMatches`).
  public var textMatches: EventMatches
  /// Those among the events the filters leave: what the header counts and `n` / `N` go through.
  public var matches: EventMatches
  /// True while a newer request is running; the matches are those of the previous text.
  public var pending = false
  /// True until the first answer to a search given at launch or restored from a session, when it is
  /// asked in the background (`AppState.init` and `restore` with `searchNow: false`): until then a
  /// search used as a filter hides nothing, and nothing is counted as a match.
  public var unanswered = false

  public init(text: String, regex: Bool = false, isFilter: Bool = false, textMatches: EventMatches = [], matches: EventMatches = [], pending: Bool = false) {
    self.text = text
    self.regex = regex
    self.isFilter = isFilter
    pattern = SearchPattern(text, regex: regex)
    self.textMatches = textMatches
    self.matches = matches
    self.pending = pending
  }

  public func contains(_ e: UInt32) -> Bool { matches.contains(e) }

  /// The query the search runs: its text alone, over the whole timeline.
  public var query: Query { Query(text: text, regex: regex) }
}
