import TimelineCore

/// Keys in the picker and the prompts, and search results coming back.
extension AppState {
  mutating func handlePickerKey(_ key: Key, _ picker: Picker) -> [Effect] {
    var p = picker
    p.touched = true
    let h = PickerView.listHeight(size, p)
    let before = p.query.text
    var effects: [Effect] = []
    if let command = bindings.command(for: key, in: .picker) {
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
    } else if let command = bindings.command(for: key, in: .prompt) {
      p.query.apply(command)
    } else if case .char(let c) = key {
      p.query.insert(c)
    }
    if p.query.text != before { p.refilter() }
    overlay = .picker(p)
    return effects
  }

  /// Opens a facet's picker. Its counts under the other filters come with it when they are known or
  /// cheap (a small timeline, no other filter: the values' own lists); otherwise it opens at once with
  /// them pending, and the runtime is asked to count (`Effect.countFacet`, in the background).
  mutating func openPicker(_ facet: Facet) -> [Effect] {
    let among = query[facet].isEmpty ? filtered : nil
    if timeline.count < backgroundCountsFrom || query.clearing(facet).isEmpty {
      overlay = .picker(Picker(facet: facet, timeline: timeline, query: query, filtered: among))
      return []
    }
    if let known = timeline.knownFacetHistogram(facet, for: query) {
      overlay = .picker(Picker(facet: facet, timeline: timeline, query: query, histogram: known))
      return []
    }
    countGeneration += 1
    overlay = .picker(Picker(facet: facet, timeline: timeline, query: query, histogram: nil, awaiting: countGeneration))
    return [.countFacet(FacetCountRequest(generation: countGeneration, facet: facet, query: query, filtered: among))]
  }

  /// Counts a pending picker waited for: shown if that picker is still open, dropped otherwise (it
  /// was closed, or opened again since, or the filters are not those it was opened under).
  mutating func receiveCounts(_ result: FacetCount) {
    guard case .picker(var p) = overlay, let awaited = p.awaitedCounts, awaited == result.generation,
      p.facet == result.facet, query.clearing(p.facet) == result.others
    else { return }
    p.fill(result.histogram)
    p.move(by: 0, height: PickerView.listHeight(size, p))
    overlay = .picker(p)
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
    rememberForUndo()
    setQuery(q)
    if results.isEmpty { message = "no event matches these filters; press \(bindings.short(.clearFilters)) to clear them" }
    return effects
  }

  mutating func handlePromptKey(_ key: Key, _ prompt: Prompt) -> [Effect] {
    if case .overwrite(var request) = prompt.kind {
      overlay = nil
      guard key == .char("y") || key == .char("Y") else {
        message = "not written"
        return []
      }
      request.overwrite = true
      return acceptExport(request.path, overwrite: true)
    }
    var p = prompt
    let before = (p.editor.text, p.regex)
    if let command = bindings.command(for: key, in: .prompt) {
      switch command {
      case .promptCancel:
        overlay = nil
        if case .search(let from, let previous) = p.kind {
          // Esc takes back the search being typed: the one before comes back, and the selection too.
          setSearch(previous)
          reselect(from)
        }
        return []
      case .promptAccept:
        overlay = nil
        var effects: [Effect] = []
        if let kind = p.kind.history, !p.text.trimmingCharacters(in: .whitespaces).isEmpty {
          history.add(p.text, kind)
          effects.append(.saveHistory(history))
        }
        switch p.kind {
        case .goToDate: goToDate(p.text)
        case .export: effects += acceptExport(p.text, overwrite: false)
        case .overwrite: break
        case .search(let from, let previous):
          if search != previous { undoStack.append(Snapshot(query: query, search: previous)) }
          if search == nil {
            reselect(from)
          } else if let s = search, !s.pending && s.matches.isEmpty {
            message = "no match for \"\(s.text)\""
          }
        }
        return effects
      case .historyPrevious, .historyNext:
        if let kind = p.kind.history, !p.recall.step(back: command == .historyPrevious, through: history.lines(kind), editor: &p.editor) {
          message = command == .historyPrevious ? "no earlier entry" : "no later entry"
        }
      case .regexToggle:
        guard case .search = p.kind else {
          message = "Ctrl-R is for searches"
          break
        }
        p.regex.toggle()
      default:
        p.editor.apply(command)
      }
    } else if case .char(let c) = key {
      p.editor.insert(c)
    } else {
      return []
    }
    overlay = .prompt(p)
    if case .search = p.kind, (p.editor.text, p.regex) != before { return startSearch(p.editor.text, regex: p.regex) }
    return []
  }

  // MARK: - Search

  /// Selects an event again, or the nearest in time when it is no longer listed.
  mutating func reselect(_ event: UInt32?) {
    guard let e = event, !results.isEmpty else { return }
    if let i = resultIndex(ofEvent: e) {
      select(i)
    } else {
      let key = timeline.startKey(at: Int(e))
      select(SortedLists.partitionPoint(results.count) { timeline.startKey(at: Int(results[$0])) >= key })
    }
  }

  /// Asks the runtime to search for `text`; until it answers, the previous matches stay.
  mutating func startSearch(_ text: String, regex: Bool) -> [Effect] {
    guard !SearchPattern(text, regex: regex).isEmpty else {
      setSearch(nil)
      if case .prompt(let p) = overlay, case .search(let from, _) = p.kind { reselect(from) }
      return []
    }
    searchGeneration += 1
    let old = search
    var s = SearchState(text: text, regex: regex, isFilter: old?.isFilter ?? promptFilterMode, pending: true)
    s.textMatches = old?.textMatches ?? []
    s.matches = old?.matches ?? []
    search = s
    return [.search(searchRequest(s.query))]
  }

  /// Whether a search typed now is a filter: as the one it replaces was, when the prompt opened.
  private var promptFilterMode: Bool {
    if case .prompt(let p) = overlay, case .search(_, let previous) = p.kind { return previous?.isFilter ?? false }
    return false
  }

  mutating func receiveSearch(_ result: SearchResult) -> [Effect] {
    // Only the answer to the question now asked counts (an older one may arrive after a newer ask).
    guard result.generation == searchGeneration, var s = search, s.pending, result.query == s.query else { return [] }
    s.textMatches = result.matches
    s.pending = false
    s.unanswered = false
    setSearch(s)
    if case .prompt(let p) = overlay, case .search(let from, _) = p.kind {
      // Incremental: go to the first match at or after where the search started.
      guard let first = s.matches.first else {
        reselect(from)
        return []
      }
      let m = s.matches
      let i = from.map { m.lowerBound($0) } ?? 0
      if let r = resultIndex(ofEvent: i < m.count ? m[i] : first) { select(r) }
    }
    return []
  }
}

extension AppState {
  /// A search for `q`, with the user's notes to search as well.
  func searchRequest(_ q: Query) -> SearchRequest {
    SearchRequest(generation: searchGeneration, query: q, userNotes: user.index.notes, notesVersion: user.notesVersion)
  }

  /// What `Action.start` asks for: the search given at launch or restored, when left pending. It is
  /// read without the word index (one search does not pay for building it, which takes longer).
  mutating func start() -> [Effect] {
    guard let s = search, s.pending, s.unanswered else { return [] }
    var request = searchRequest(s.query)
    request.textSearch = .scan
    return [.search(request)]
  }
}

extension SearchRequest {
  /// Runs the request: the pure function a runtime calls, on any thread.
  public func run(on timeline: Timeline, previous: SearchResult?) -> SearchResult {
    // An answer found with other notes, or on another version of the file, is no base to narrow.
    let narrowing = previous.flatMap { $0.notesVersion == notesVersion ? (query: $0.query, result: $0.matches) : nil }
    return SearchResult(
      generation: generation, query: query, notesVersion: notesVersion,
      matches: timeline.matches(query, narrowing: narrowing, textSearch: textSearch, userNotes: userNotes))
  }
}

import Foundation
