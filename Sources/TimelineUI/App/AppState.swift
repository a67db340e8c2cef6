import TimelineCore

/// The whole state of the explorer: one value that `update` changes and `view` draws.
///
/// Derived data that is costly to recompute (the filtered results, the search matches) is kept here
/// and refreshed by `update` when its inputs change, so `view` stays a cheap function of the state.
public struct AppState: Equatable, Sendable {
  public let timeline: Timeline
  public var size: Size
  /// False under `NO_COLOR` or `--no-color`: attributes only.
  public var colorEnabled: Bool
  public var mouseEnabled: Bool

  /// The filters in force (countries, people, dates). Free text lives in `search`: it highlights
  /// instead of hiding, so the events around a match stay in view.
  public private(set) var query: Query
  /// Events passing the filters, as event numbers in chronological order.
  public private(set) var results: [UInt32]
  /// When the results happen, month by month, for the time strip.
  public private(set) var histogram: MonthHistogram
  /// Index into `results` of the selected event (0 when there are none). Shared by every view.
  public var selected: Int = 0
  /// Which view the body shows. Every view shows the same results, search and selection.
  public var mode: ViewMode = .list
  /// Where the list is scrolled.
  public var list = ListState()

  public enum Focus: Hashable, Sendable { case list, detail }
  public var focus: Focus = .list
  /// First line of the detail pane on screen.
  public var detailScroll = 0

  public var overlay: Overlay?
  public var search: SearchState?
  /// A one-line message for the footer ("no match", "no event in 2019"); cleared by the next key.
  public var message: String?

  /// Counter for search requests, so late answers to old requests are ignored.
  public var searchGeneration = 0

  /// What was typed at the prompts (loaded by the runtime for the data file, saved when it grows).
  public var history = History()

  public init(timeline: Timeline, size: Size, query: Query = Query(), colorEnabled: Bool = true, mouseEnabled: Bool = true) {
    self.timeline = timeline
    self.size = size
    self.colorEnabled = colorEnabled
    self.mouseEnabled = mouseEnabled
    self.query = query
    self.results = timeline.evaluate(query)
    self.histogram = .empty
    if !query.text.isEmpty {
      // Text given on the command line opens as a kept search over the filtered list.
      var q = query
      q.text = ""
      self.query = q
      self.results = timeline.evaluate(q)
      let matches = timeline.evaluate(query)
      search = SearchState(text: query.text, matches: matches)
      if let first = matches.first, let i = resultIndex(ofEvent: first) { selected = i }
    }
    histogram = MonthHistogram(timeline: timeline, results: results)
    scrollToSelection()
  }

  public static func == (a: AppState, b: AppState) -> Bool {
    a.timeline === b.timeline && a.size == b.size && a.colorEnabled == b.colorEnabled && a.mouseEnabled == b.mouseEnabled
      && a.query == b.query && a.results == b.results && a.selected == b.selected && a.mode == b.mode && a.list == b.list
      && a.focus == b.focus && a.detailScroll == b.detailScroll && a.overlay == b.overlay && a.search == b.search
      && a.message == b.message && a.searchGeneration == b.searchGeneration && a.history == b.history
  }

  /// Changes the filters and recomputes the results, keeping the selected event when it survives
  /// (else the nearest in time).
  public mutating func setQuery(_ newQuery: Query) {
    let previousEvent = selectedEvent
    let previousKey = previousEvent.map { timeline.startKey(at: Int($0)) }
    query = newQuery
    results = timeline.evaluate(newQuery)
    histogram = MonthHistogram(timeline: timeline, results: results)
    if let e = previousEvent, let i = resultIndex(ofEvent: e) {
      selected = i
    } else if let key = previousKey {
      selected = min(max(0, results.count - 1), SortedIndex.firstIndex(in: results.count) { timeline.startKey(at: Int(results[$0])) >= key })
    } else {
      selected = 0
    }
    detailScroll = 0
    list.top = RowCursor(result: selected, part: .event)
    scrollToSelection()
  }

  /// The selected event's number, if any event passes the filters.
  public var selectedEvent: UInt32? { results.isEmpty ? nil : results[min(selected, results.count - 1)] }

  /// Where an event is in `results` (binary search: results are sorted).
  public func resultIndex(ofEvent e: UInt32) -> Int? {
    let i = SortedIndex.firstIndex(in: results.count) { results[$0] >= e }
    return i < results.count && results[i] == e ? i : nil
  }
}

/// The views of the results: the list, and more to come.
public enum ViewMode: Hashable, Sendable {
  case list
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
}

/// A line of input at the bottom of the screen.
public struct Prompt: Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    /// `/`: incremental search; remembers where the selection was to go back on Esc.
    case search(originalSelection: Int, originalSearch: SearchState?)
    /// `:`: go to a date.
    case goToDate

    var history: History.Kind {
      switch self {
      case .search: .search
      case .goToDate: .date
      }
    }
  }
  public var kind: Kind
  public var editor: LineEditor
  public var recall = Recall()

  public init(kind: Kind, text: String = "") {
    self.kind = kind
    editor = LineEditor(text)
  }

  public var text: String { editor.text }
}

/// A kept or live search: its text and the events it matches among the results.
public struct SearchState: Hashable, Sendable {
  public var text: String
  /// Matching event numbers, chronological (a subset of the results).
  public var matches: [UInt32]
  /// True while a newer request is running; the matches are those of the previous text.
  public var pending = false

  public init(text: String, matches: [UInt32], pending: Bool = false) {
    self.text = text
    self.matches = matches
    self.pending = pending
  }

  public func contains(_ e: UInt32) -> Bool {
    let i = SortedIndex.firstIndex(in: matches.count) { matches[$0] >= e }
    return i < matches.count && matches[i] == e
  }
}

/// Binary search helper.
enum SortedIndex {
  /// The first index in `0..<n` where `isAtOrAfter` holds (it must be false then true along the range).
  static func firstIndex(in n: Int, _ isAtOrAfter: (Int) -> Bool) -> Int {
    var lo = 0
    var hi = n
    while lo < hi {
      let mid = (lo + hi) / 2
      if isAtOrAfter(mid) { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }
}
