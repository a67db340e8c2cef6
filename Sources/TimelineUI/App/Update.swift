import TimelineCore

/// The explorer's only way of changing state: given an action, change the state in place and say what
/// work the runtime should do. Pure: no terminal, no clock, no I/O, so every key can be tested by
/// comparing whole states.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
  switch action {
  case .resized(let size):
    state.size = size
    if case .picker(var p) = state.overlay {
      p.move(by: 0, height: PickerView.listHeight(state.size, p))
      state.overlay = .picker(p)
    }
    state.scrollToSelection()
    state.clampDetailScroll()
    return []
  case .start:
    return state.start()
  case .searchFinished(let result):
    return state.receiveSearch(result)
  case .facetCounted(let result):
    state.receiveCounts(result)
    return []
  case .reloaded(let reload):
    return state.receiveReload(reload)
  case .said(let text):
    state.message = text
    return []
  case .exportWouldReplace(let request):
    state.confirmOverwrite(request)
    return []
  case .mouse(let event):
    guard state.mouseEnabled else { return [] }
    return state.handleMouse(event)
  case .key(let key):
    if key == .ctrl("c") { return [.quit] }
    if key == .ctrl("l") { return [.redraw] }
    if Layout(state: state).tooSmall {
      // Nothing is drawn but the notice; only quitting makes sense.
      return key == .char("q") || state.bindings.command(for: key, in: .list) == .quit ? [.quit] : []
    }
    state.message = nil
    switch state.overlay {
    case .help(let scroll): return state.handleHelpKey(key, scroll: scroll)
    case .picker(let picker): return state.handlePickerKey(key, picker)
    case .prompt(let prompt): return state.handlePromptKey(key, prompt)
    case .chooser(let chooser): return state.handleChooserKey(key, chooser)
    case .note(let editor): return state.handleNoteKey(key, editor)
    case .problems(let scroll): return state.handleProblemsKey(key, scroll: scroll)
    case nil: break
    }
    if state.focus == .detail, let command = state.bindings.command(for: key, in: .detail) { return state.runDetail(command) }
    if state.mode == .lanes, let command = state.bindings.command(for: key, in: .lanes) { return state.runLanes(command) }
    // The timeline view moves by its own keys; the list's moves would go down its rows.
    guard let command = state.bindings.command(for: key, in: .list), state.mode == .list || command.group != .move else {
      state.message = "\(key) does nothing here; press \(state.bindings.short(.help)) for help"
      return []
    }
    return state.run(command)
  }
}

extension AppState {
  /// Runs a list command.
  mutating func run(_ command: Command) -> [Effect] {
    let page = max(1, Layout(state: self).list.height - 1)
    switch command {
    case .moveDown: select(selected + 1)
    case .moveUp: select(selected - 1)
    case .top:
      select(0)
      list.top = rowsStart
    case .bottom: select(results.count - 1)
    case .pageDown: pageBy(page)
    case .pageUp: pageBy(-page)
    case .halfPageDown: pageBy(max(1, page / 2))
    case .halfPageUp: pageBy(-max(1, page / 2))
    case .previousYear: jumpYear(forward: false)
    case .nextYear: jumpYear(forward: true)
    case .previousEra: jumpEra(forward: false)
    case .nextEra: jumpEra(forward: true)
    case .goToDate: overlay = .prompt(Prompt(kind: .goToDate))
    case .brush: brushHere()
    case .countryPicker, .personPicker, .tagPicker, .confidencePicker, .eraPicker, .sourcePicker:
      guard let facet = command.facet else { break }
      if timeline.usedValues(facet).isEmpty && query[facet].isEmpty {
        message = "this timeline has no \(facet.plural)"
      } else {
        return openPicker(facet)
      }
    case .clearFilters:
      let searchFilters = search?.isFilter == true
      if !query.hasFilters && !searchFilters {
        message = "no filters to clear"
      } else {
        rememberForUndo()
        setQuery(Query())
        if searchFilters { setSearch(nil) }
        message = "filters cleared" + (searchFilters ? " (and the search)" : "") + "; u undoes it"
      }
    case .undo:
      message = undo() ? "undone: " + (query.hasFilters || search != nil ? filtersInWords : "no filters") : "nothing to undo"
    case .search:
      overlay = .prompt(Prompt(kind: .search(from: selectedEvent, previous: search), regex: search?.regex ?? false))
    case .nextMatch: jumpToMatch(forward: true)
    case .previousMatch: jumpToMatch(forward: false)
    case .searchFilter:
      guard var s = search else {
        message = "no search to filter by; press / to search"
        break
      }
      rememberForUndo()
      s.isFilter.toggle()
      setSearch(s)
      message = s.isFilter ? "only the matches of \"\(s.text)\"; & shows every event again" : "every event, the matches highlighted"
    case .toggleDetail:
      if results.isEmpty {
        message = "no event to show"
      } else {
        focus = focus == .list ? .detail : .list
        scrollToSelection()
      }
    case .back:
      if brush != nil {
        brush = nil
        message = "range cancelled"
      } else if focus == .detail {
        focus = .list
        scrollToSelection()
      } else if search != nil {
        rememberForUndo()
        setSearch(nil)
        message = "search dropped"
      }
    case .toggleView: toggleView()
    case .help: overlay = .help(scroll: 0)
    case .quit:
      if focus == .detail && Layout(state: self).detailPlacement == .fullScreen {
        focus = .list
        scrollToSelection()
        return []
      }
      return [.quit]
    case .redraw: return [.redraw]
    case .toggleMark: return toggleMark()
    case .nextMark: jumpToMark(forward: true)
    case .previousMark: jumpToMark(forward: false)
    case .markedOnly: return toggleMarkedOnly()
    case .editNote: openNoteEditor()
    case .export: startExport()
    case .copySource: return copySource(everything: false)
    case .copyWhat: return copySource(everything: true)
    case .openSource: return openSource()
    case .reload:
      message = "reading \(user.dataName ?? "the file") again…"
      return [.reload]
    case .showProblems: showProblems()
    case .resetSession: return resetSession()
    default: break  // another scope's command: never bound in the list
    }
    return []
  }

  /// The filters and search in force, in words, for messages.
  var filtersInWords: String {
    var parts = FilterText.parts(query, timeline, short: true)
    if let s = search { parts.append((s.isFilter ? "filter " : "search ") + "\"\(s.text)\"") }
    return parts.joined(separator: " · ")
  }

  /// Selects result `i` (clamped) and scrolls to it.
  mutating func select(_ i: Int) {
    guard !results.isEmpty else { return }
    let new = min(max(0, i), results.count - 1)
    if new != selected { detailScroll = 0 }
    selected = new
    scrollToSelection()
  }

  /// Moves the view and the selection by `n` rows, as `less` pages: the selection keeps its place on
  /// screen when it can.
  mutating func pageBy(_ n: Int) {
    guard !results.isEmpty else { return }
    // A heading row belongs to the event below it, so the target row's result is the one to select.
    let r = moved(RowCursor(result: selected, part: .event), by: n).result
    list.top = moved(list.top, by: n)
    if r != selected { detailScroll = 0 }
    selected = r
    scrollToSelection()
  }

  mutating func jumpYear(forward: Bool) {
    guard let e = selectedEvent else { return }
    let year = timeline.date(at: Int(e)).year
    let firstOfYear = SortedLists.partitionPoint(results.count) { timeline.date(at: Int(results[$0])).year >= year }
    if forward {
      let next = SortedLists.partitionPoint(results.count) { timeline.date(at: Int(results[$0])).year > year }
      if next < results.count { select(next) } else { message = "no later year" }
    } else if selected > firstOfYear {
      select(firstOfYear)
    } else if firstOfYear > 0 {
      let prevYear = timeline.date(at: Int(results[firstOfYear - 1])).year
      select(SortedLists.partitionPoint(results.count) { timeline.date(at: Int(results[$0])).year >= prevYear })
    } else {
      message = "no earlier year"
    }
  }

  mutating func jumpEra(forward: Bool) {
    guard let e = selectedEvent else { return }
    let key = timeline.startKey(at: Int(e))
    let eras = timeline.eras  // sorted by start
    let results = self.results
    let t = timeline
    let firstAtOrAfter: (Int64) -> Int = { k in
      SortedLists.partitionPoint(results.count) { t.startKey(at: Int(results[$0])) >= k }
    }
    if forward {
      for era in eras where era.start.lowerKey > key {
        let i = firstAtOrAfter(era.start.lowerKey)
        if i < results.count && i != selected {
          select(i)
          message = "era: \(era.title)"
          return
        }
      }
      message = "no later era"
    } else {
      for era in eras.reversed() where era.start.lowerKey <= key {
        let i = firstAtOrAfter(era.start.lowerKey)
        if i < results.count && i < selected {
          select(i)
          message = "era: \(era.title)"
          return
        }
      }
      message = "no earlier era"
    }
  }

  mutating func jumpToMatch(forward: Bool) {
    guard let s = search else {
      message = "no search; press \(bindings.short(.search)) to search"
      return
    }
    guard !s.matches.isEmpty, let current = selectedEvent else {
      message = "no match for \"\(s.text)\""
      return
    }
    let matches = s.matches
    let target: UInt32
    if forward {
      let i = current == UInt32.max ? matches.count : matches.lowerBound(current + 1)
      if i < matches.count {
        target = matches[i]
      } else {
        target = matches[0]
        message = "search wrapped to the first match"
      }
    } else {
      let i = matches.lowerBound(current)
      if i > 0 {
        target = matches[i - 1]
      } else {
        target = matches[matches.count - 1]
        message = "search wrapped to the last match"
      }
    }
    if let r = resultIndex(ofEvent: target) { select(r) }
  }

  // MARK: - Detail pane

  /// Keys of the focused detail pane: scrolling, and back to the list.
  mutating func runDetail(_ command: Command) -> [Effect] {
    let page = max(1, Layout(state: self).detail.height - 1)
    switch command {
    case .detailDown: detailScroll += 1
    case .detailUp: detailScroll -= 1
    case .detailPageDown: detailScroll += page
    case .detailPageUp: detailScroll -= page
    case .detailHalfPageDown: detailScroll += max(1, page / 2)
    case .detailHalfPageUp: detailScroll -= max(1, page / 2)
    case .detailTop: detailScroll = 0
    case .detailBottom: detailScroll = Int.max / 2
    case .detailBack:
      focus = .list
      scrollToSelection()
      return []
    default: break
    }
    clampDetailScroll()
    return []
  }

  mutating func clampDetailScroll() {
    let layout = Layout(state: self)
    let lines = DetailView.lines(self, width: layout.detail.width).count
    // An overflowing pane keeps its last row for the "lines a–b of n" note.
    let room = lines > layout.detail.height ? max(1, layout.detail.height - 1) : layout.detail.height
    detailScroll = min(max(0, detailScroll), max(0, lines - room))
  }

  // MARK: - Help

  mutating func handleHelpKey(_ key: Key, scroll: Int) -> [Effect] {
    let lines = HelpView.lines(size, bindings: bindings).count
    let height = HelpView.bodyHeight(size)
    let maxScroll = max(0, lines - height)
    switch bindings.command(for: key, in: .help) {
    case .helpClose: overlay = nil
    case .helpDown: overlay = .help(scroll: min(maxScroll, scroll + 1))
    case .helpUp: overlay = .help(scroll: max(0, scroll - 1))
    case .helpPageDown: overlay = .help(scroll: min(maxScroll, scroll + height - 1))
    case .helpPageUp: overlay = .help(scroll: max(0, scroll - height + 1))
    case .helpTop: overlay = .help(scroll: 0)
    case .helpBottom: overlay = .help(scroll: maxScroll)
    default: break
    }
    return []
  }

  // MARK: - Mouse

  mutating func handleMouse(_ event: MouseEvent) -> [Effect] {
    let layout = Layout(state: self)
    if layout.tooSmall { return [] }
    switch overlay {
    case .picker(var p):
      let h = PickerView.listHeight(size, p)
      p.touched = true
      switch event.kind {
      case .wheelUp: p.move(by: -3, height: h)
      case .wheelDown: p.move(by: 3, height: h)
      case .release: break
      case .press:
        let frame = PickerView.frame(size, p)
        guard frame.contains(x: event.x, y: event.y) else {
          // A click outside the picker closes it, as Esc does.
          overlay = nil
          message = "\(p.facet.name) filter unchanged"
          return []
        }
        let row = event.y - PickerView.listTop(frame)
        if row >= 0, row < h, p.scroll + row < p.visible.count {
          p.move(by: p.scroll + row - p.highlighted, height: h)
          p.toggleHighlighted()
        }
      }
      overlay = .picker(p)
      return []
    case .help(let scroll):
      if event.kind == .wheelDown { return handleHelpKey(.down, scroll: scroll) }
      if event.kind == .wheelUp { return handleHelpKey(.up, scroll: scroll) }
      return []
    case .problems(let scroll):
      if event.kind == .wheelDown { return handleProblemsKey(.down, scroll: scroll) }
      if event.kind == .wheelUp { return handleProblemsKey(.up, scroll: scroll) }
      return []
    case .prompt, .chooser, .note:
      return []
    case nil:
      break
    }
    if layout.strip.contains(x: event.x, y: event.y) { return handleStripMouse(event) }
    let inDetail = layout.detail.contains(x: event.x, y: event.y)
    if mode == .lanes && layout.lanes.contains(x: event.x, y: event.y) {
      handleLanesMouse(event)
      return []
    }
    switch event.kind {
    case .release: break
    case .wheelUp, .wheelDown:
      let n = event.kind == .wheelUp ? -3 : 3
      if inDetail {
        detailScroll += n
        clampDetailScroll()
      } else {
        select(selected + n)
      }
    case .press:
      if inDetail {
        focus = .detail
      } else if layout.list.contains(x: event.x, y: event.y), let r = result(atListRow: event.y - layout.list.y) {
        focus = .list
        select(r)
      }
    }
    return []
  }
}
