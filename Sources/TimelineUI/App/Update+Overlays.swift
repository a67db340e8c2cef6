import TimelineCore

/// Keys in the picker and the prompts, and search results coming back.
extension AppState {
  mutating func handlePickerKey(_ key: Key, _ picker: Picker) -> [Effect] {
    var p = picker
    let h = PickerView.listHeight(size, p)
    let before = p.query.text
    var effects: [Effect] = []
    if let command = Command.forKey(key, in: .picker) {
      switch command {
      case .pickerCancel:
        overlay = nil
        message = "\(p.facet.name) filter unchanged"
        return []
      case .pickerApply:
        return applyPicker(p)
      case .pickerToggle:
        p.toggleHighlighted()
        p.move(by: 1, height: h)
      case .pickerToggleUp:
        p.toggleHighlighted()
        p.move(by: -1, height: h)
      case .pickerExclude: p.excludeHighlighted()
      case .pickerDown: p.move(by: 1, height: h)
      case .pickerUp: p.move(by: -1, height: h)
      case .pickerPageDown: p.move(by: h - 1, height: h)
      case .pickerPageUp: p.move(by: -(h - 1), height: h)
      case .pickerHistoryPrevious, .pickerHistoryNext:
        if !p.recall.step(back: command == .pickerHistoryPrevious, through: history.lines(.picker(p.facet)), editor: &p.query) {
          message = command == .pickerHistoryPrevious ? "no earlier query" : "no later query"
        }
      default: break
      }
    } else if let command = Command.forKey(key, in: .prompt) {
      p.query.apply(command)
    } else if case .char(let c) = key {
      p.query.insert(c)
    }
    if p.query.text != before { p.refilter() }
    overlay = .picker(p)
    return effects
  }

  /// Enter in a picker: applies what its title calls on; with nothing toggled, the highlighted value
  /// is turned on as well (as fzf's Enter picks the current line), so typing a name and Enter adds it.
  mutating func applyPicker(_ picker: Picker) -> [Effect] {
    var p = picker
    if !p.toggled, let e = p.highlightedEntry, p.selection.state(of: e.key) == .off {
      p.selection.set(e.key, .on)
    }
    overlay = nil
    var effects: [Effect] = []
    if !p.query.text.isEmpty {
      history.add(p.query.text, .picker(p.facet))
      effects.append(.saveHistory(history))
    }
    guard p.selection != query[p.facet] else {
      message = "\(p.facet.name) filter unchanged"
      return effects
    }
    var q = query
    q[p.facet] = p.selection
    setQuery(q)
    refreshSearchAfterFilterChange()
    if results.isEmpty { message = "no event matches these filters; press x to clear them" }
    return effects + searchEffects()
  }

  mutating func handlePromptKey(_ key: Key, _ prompt: Prompt) -> [Effect] {
    var p = prompt
    let before = p.editor.text
    if let command = Command.forKey(key, in: .prompt) {
      switch command {
      case .promptCancel:
        overlay = nil
        if case .search(let original, _) = p.kind {
          // Esc drops the search and puts the selection back where it was.
          search = nil
          select(original)
        }
        return []
      case .promptAccept:
        overlay = nil
        var effects: [Effect] = []
        if !p.text.trimmingCharacters(in: .whitespaces).isEmpty {
          history.add(p.text, p.kind.history)
          effects.append(.saveHistory(history))
        }
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
        return effects
      case .historyPrevious, .historyNext:
        if !p.recall.step(back: command == .historyPrevious, through: history.lines(p.kind.history), editor: &p.editor) {
          message = command == .historyPrevious ? "no earlier entry" : "no later entry"
        }
      default:
        p.editor.apply(command)
      }
    } else if case .char(let c) = key {
      p.editor.insert(c)
    } else {
      return []
    }
    overlay = .prompt(p)
    if case .search = p.kind, p.editor.text != before { return startSearch(p.editor.text) }
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
