import TimelineCore

/// Keys in the picker and the prompts, and search results coming back.
extension AppState {
  mutating func handlePickerKey(_ key: Key, _ picker: Picker) -> [Effect] {
    var p = picker
    let h = PickerView.listHeight(size, p)
    switch key {
    case .escape:
      overlay = nil
      message = "\(p.facet.name) filter unchanged"
      return []
    case .enter:
      // Enter applies what the title calls on; with nothing toggled, the highlighted value is turned
      // on as well (as fzf's Enter picks the current line), so typing a name and Enter adds it.
      if !p.toggled, let e = p.highlightedEntry, p.selection.state(of: e.key) == .off {
        p.selection.set(e.key, .on)
      }
      overlay = nil
      var q = query
      q[p.facet] = p.selection
      setQuery(q)
      refreshSearchAfterFilterChange()
      if results.isEmpty { message = "no event matches these filters; press x to clear them" }
      return searchEffects()
    case .char(" "): p.toggleHighlighted()
    case .up, .ctrl("p"): p.move(by: -1, height: h)
    case .down, .ctrl("n"): p.move(by: 1, height: h)
    case .pageUp: p.move(by: -(h - 1), height: h)
    case .pageDown: p.move(by: h - 1, height: h)
    case .home: p.move(by: -p.visible.count, height: h)
    case .end: p.move(by: p.visible.count, height: h)
    case .backspace, .delete:
      if !p.filter.isEmpty { p.setFilter(String(p.filter.dropLast())) }
    case .ctrl("u"): p.setFilter("")
    case .char(let c): p.setFilter(p.filter + String(c))
    default: break
    }
    overlay = .picker(p)
    return []
  }

  mutating func handlePromptKey(_ key: Key, _ prompt: Prompt) -> [Effect] {
    var p = prompt
    switch key {
    case .escape:
      overlay = nil
      if case .search(let original, _) = p.kind {
        // Esc drops the search and puts the selection back where it was.
        search = nil
        select(original)
      }
      return []
    case .enter:
      overlay = nil
      switch p.kind {
      case .goToDate: goToDate(p.text)
      case .search(let original, _):
        if SearchPattern(p.text).isEmpty {
          search = nil
          select(original)
        } else if let s = search, !s.pending && s.matches.isEmpty {
          message = "no match for \"\(s.text)\""
        }
      }
      return []
    case .backspace, .delete:
      guard !p.text.isEmpty else { return [] }
      p.text.removeLast()
    case .ctrl("u"): p.text = ""
    case .char(let c): p.text.append(c)
    default: return []
    }
    overlay = .prompt(p)
    if case .search = p.kind { return startSearch(p.text) }
    return []
  }

  /// `:` + date: selects the first event starting on or after the date.
  mutating func goToDate(_ text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    switch TimelineDate.parse(trimmed) {
    case .failure(let e):
      message = "not a date: \(e)"
    case .success(let d):
      guard !results.isEmpty else { return }
      let i = SortedIndex.firstIndex(in: results.count) { timeline.startKey(at: Int(results[$0])) >= d.lowerKey }
      if i < results.count {
        select(i)
      } else {
        select(results.count - 1)
        message = "no event on or after \(d); showing the last one"
      }
    }
  }

  // MARK: - Search

  /// Asks the runtime to search for `text` among the results.
  mutating func startSearch(_ text: String) -> [Effect] {
    guard !SearchPattern(text).isEmpty else {
      search = nil
      if case .prompt(let p) = overlay, case .search(let original, _) = p.kind { select(original) }
      return []
    }
    searchGeneration += 1
    var q = query
    q.text = text
    search = SearchState(text: text, matches: search?.matches ?? [], pending: true)
    return [.search(SearchRequest(generation: searchGeneration, query: q))]
  }

  /// After the filters change, the kept search must be run again over the new results.
  mutating func refreshSearchAfterFilterChange() {
    if let s = search {
      searchGeneration += 1
      search = SearchState(text: s.text, matches: [], pending: true)
    }
  }

  func searchEffects() -> [Effect] {
    guard let s = search, s.pending else { return [] }
    var q = query
    q.text = s.text
    return [.search(SearchRequest(generation: searchGeneration, query: q))]
  }

  mutating func receiveSearch(_ result: SearchResult) -> [Effect] {
    // Only the answer to the question now on screen counts: same text and same filters (an answer
    // computed before a filter change would count events that are no longer listed).
    var current = query
    current.text = search?.text ?? ""
    guard result.generation == searchGeneration, var s = search, result.query == current else { return [] }
    s.matches = result.matches
    s.pending = false
    search = s
    if case .prompt(let p) = overlay, case .search(let original, _) = p.kind {
      // Incremental: go to the first match at or after where the search started.
      guard !results.isEmpty, !result.matches.isEmpty else {
        select(original)
        return []
      }
      let from = results[min(original, results.count - 1)]
      let m = result.matches
      let i = SortedIndex.firstIndex(in: m.count) { m[$0] >= from }
      if let r = resultIndex(ofEvent: m[i < m.count ? i : 0]) { select(r) }
    }
    return []
  }
}

extension SearchRequest {
  /// Runs the request: the pure function a runtime calls, on any thread.
  public func run(on timeline: Timeline, previous: SearchResult?) -> SearchResult {
    let narrowing = previous.map { (query: $0.query, result: $0.matches) }
    return SearchResult(generation: generation, query: query, matches: timeline.evaluate(query, narrowing: narrowing))
  }
}

import Foundation
