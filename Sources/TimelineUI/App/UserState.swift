import TimelineCore

/// What belongs to the user rather than to the data file: their marks and notes, whether only marked
/// events are listed, and what the explorer knows of the file on disk. Saved in the session.
public struct UserState: Hashable, Sendable {
  /// Marks and notes by event id (what is saved).
  public internal(set) var annotations = Annotations()
  /// The same placed on the timeline shown (what is drawn).
  public internal(set) var index = AnnotationIndex.empty
  /// Whether the list holds only marked events (`M`).
  public internal(set) var markedOnly = false
  /// Changes with every note, so that a search narrowed from an answer found before is not trusted.
  public internal(set) var notesVersion = 0
  /// The data file on disk, compared with what is shown.
  public internal(set) var file: FileState = .current
  /// The selected event's id, noted by the runtime as the selection moves: once a file has been
  /// rewritten in place its ids can no longer be read, and a reload finds the selection by this.
  public var selectedID: String?
  /// The data file's name for messages and the default export name (nil: the bundled case).
  public var dataName: String?

  public init() {}

  /// The events listed out of those passing the filters (only the marked ones under `M`).
  func listed(_ events: [UInt32]) -> [UInt32] { markedOnly ? index.onlyMarked(events) : events }
}

/// The data file on disk, compared with the timeline shown.
public enum FileState: Hashable, Sendable {
  /// What is shown is what the file holds.
  case current
  /// The file changed but could not be read again (`R` tries again).
  case changed
  /// Read again, it no longer validates: the last good timeline stays, and `!` lists the problems.
  case invalid(problems: [String], total: Int)
  /// The file is no longer there; the view stays as it was.
  case gone
}

/// A data file read again after it changed on disk (the runtime reads it in the background).
public struct Reload: Hashable, Sendable {
  public enum Outcome: Hashable, Sendable {
    case loaded(TimelineValue)
    /// It does not validate: the problems, each with its place, and how many there are in all.
    case invalid(problems: [String], total: Int)
    case unreadable(String)
    case gone
  }
  public var outcome: Outcome

  public init(_ outcome: Outcome) { self.outcome = outcome }
}

/// A timeline inside values that must be `Hashable` (actions): equal when it is the same one.
public struct TimelineValue: Hashable, @unchecked Sendable {
  public let timeline: Timeline
  public init(_ timeline: Timeline) { self.timeline = timeline }
  public static func == (a: Self, b: Self) -> Bool { a.timeline === b.timeline }
  public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(timeline)) }
}

extension AppState {
  /// An event's id, or nil once the file it is read from has changed on disk.
  func eventID(_ e: UInt32) -> String? {
    let id = timeline.id(at: Int(e))
    return id.isEmpty ? nil : id
  }

  /// The list after the marks or marked-only changed: the same filters, the selection kept when it
  /// is still listed.
  mutating func relistForMarks() {
    // The filters' events are the same: only which of them are listed changes.
    relist()
  }

  // MARK: - Marks

  mutating func toggleMark() -> [Effect] {
    guard let e = selectedEvent else {
      message = "no event to mark"
      return []
    }
    guard let id = eventID(e) else {
      message = "the file changed on disk: marks wait until it is read again"
      return []
    }
    let on = !user.index.isMarked(e)
    user.annotations.setMarked(id, on)
    user.index.setMarked(e, on)
    let n = user.index.marked.count
    message = on ? "marked (\(n) marked)" : "mark removed (\(n) marked)"
    if user.markedOnly && !on {
      if n == 0 { user.markedOnly = false }
      relistForMarks()
    }
    return [.saveSession]
  }

  mutating func jumpToMark(forward: Bool) {
    let marked = user.index.marked
    guard !marked.isEmpty else {
      message = "no marks: \(bindings.short(.toggleMark)) marks the selected event"
      return
    }
    let listed = marked.filter { resultIndex(ofEvent: $0) != nil }
    guard !listed.isEmpty, let current = selectedEvent else {
      message = "no marked event passes the filters"
      return
    }
    let target: UInt32
    if forward {
      if let next = listed.first(where: { $0 > current }) {
        target = next
      } else {
        target = listed[0]
        message = "wrapped to the first mark"
      }
    } else {
      if let previous = listed.last(where: { $0 < current }) {
        target = previous
      } else {
        target = listed[listed.count - 1]
        message = "wrapped to the last mark"
      }
    }
    if let r = resultIndex(ofEvent: target) { select(r) }
  }

  /// `--marked` on the command line: only the marked events, when there are any.
  public mutating func showMarkedOnly() {
    if !user.index.marked.isEmpty {
      user.markedOnly = true
      relistForMarks()
    }
  }

  mutating func toggleMarkedOnly() -> [Effect] {
    if !user.markedOnly && user.index.marked.isEmpty {
      message = "no marks yet: \(bindings.short(.toggleMark)) marks the selected event"
      return []
    }
    user.markedOnly.toggle()
    relistForMarks()
    message = user.markedOnly ? "only marked events (\(results.count) listed)" : "every event again"
    return [.saveSession]
  }

  // MARK: - Notes

  mutating func openNoteEditor() {
    guard let e = selectedEvent else {
      message = "no event to write a note on"
      return
    }
    guard let id = eventID(e) else {
      message = "the file changed on disk: notes wait until it is read again"
      return
    }
    overlay = .note(NoteEditor(id: id, event: e, timeline: TimelineValue(timeline), text: user.annotations.note(id) ?? ""))
  }

  /// Keeps the note written in the editor (an empty one removes it).
  mutating func saveNote(_ editor: NoteEditor) -> [Effect] {
    overlay = nil
    let text = editor.editor.text
    let had = user.annotations.note(editor.id) != nil
    user.annotations.setNote(editor.id, text)
    // The editor was opened on this timeline unless the file was read again meanwhile.
    if editor.timeline.timeline === timeline {
      user.index.setNote(editor.event, text)
    } else {
      user.index = AnnotationIndex(user.annotations, in: timeline)
    }
    user.notesVersion += 1
    let kept = user.annotations.note(editor.id) != nil
    message = kept ? "note saved" : had ? "note removed" : "no note written"
    return [.saveSession] + rerunSearch()
  }

  /// Asks again for the search in force (the notes it reads changed); its matches stay until the answer.
  mutating func rerunSearch() -> [Effect] {
    guard var s = search else { return [] }
    searchGeneration += 1
    s.pending = true
    search = s
    return [.search(searchRequest(s.query))]
  }

  // MARK: - Sources

  /// The selected event's sources that have an address: (publisher and title, address).
  func sourceAddresses() -> [(label: String, url: String)] {
    guard let e = selectedEvent else { return [] }
    var seen = Set<String>()
    return timeline.sourceIndexes(at: Int(e)).compactMap { k -> (String, String)? in
      let s = timeline.sources[Int(k)]
      guard let url = s.url, !url.isEmpty, seen.insert(url).inserted else { return nil }
      return ("\(s.publisher): \(s.title)", url)
    }
  }

  /// `y` copies the source's address; `Y` offers the title and date, the id and every address.
  mutating func copySource(everything: Bool) -> [Effect] {
    guard let e = selectedEvent else {
      message = "no event selected"
      return []
    }
    let urls = sourceAddresses()
    var choices = urls.map { Chooser.Choice(label: $0.label, value: $0.url) }
    if everything {
      let title = timeline.title(at: Int(e))
      let when = DateText.span(timeline.date(at: Int(e)), timeline.endDate(at: Int(e)))
      var extra: [Chooser.Choice] = []
      if !title.isEmpty { extra.append(.init(label: "title and date", value: "\(title) (\(when))")) }
      if let id = eventID(e) { extra.append(.init(label: "id", value: id)) }
      choices = extra + choices
    }
    switch choices.count {
    case 0:
      message = "no source address: \(bindings.short(.copyWhat)) copies the title and date or the id"
      return []
    case 1:
      return copy(choices[0])
    default:
      overlay = .chooser(Chooser(purpose: .copy, choices: choices))
      return []
    }
  }

  mutating func openSource() -> [Effect] {
    let urls = sourceAddresses()
    switch urls.count {
    case 0:
      message = selectedEvent == nil ? "no event selected" : "this event's sources have no address"
      return []
    case 1:
      return open(urls[0].url)
    default:
      overlay = .chooser(Chooser(purpose: .open, choices: urls.map { .init(label: $0.label, value: $0.url) }))
      return []
    }
  }

  mutating func copy(_ choice: Chooser.Choice) -> [Effect] {
    message = "copied \(choice.value.count > 60 ? String(choice.value.prefix(59)) + "…" : choice.value)"
    return [.copy(choice.value)]
  }

  mutating func open(_ url: String) -> [Effect] {
    message = "opening \(url.count > 60 ? String(url.prefix(59)) + "…" : url)"
    return [.open(url)]
  }

  mutating func handleChooserKey(_ key: Key, _ chooser: Chooser) -> [Effect] {
    var c = chooser
    var picked: Chooser.Choice?
    if case .char(let ch) = key, let n = ch.wholeNumberValue, n >= 1, n <= c.choices.count {
      picked = c.choices[n - 1]
    } else {
      switch bindings.command(for: key, in: .choice) {
      case .choiceDown: c.highlighted = min(c.choices.count - 1, c.highlighted + 1)
      case .choiceUp: c.highlighted = max(0, c.highlighted - 1)
      case .choicePick: picked = c.choices[c.highlighted]
      case .choiceCancel:
        overlay = nil
        return []
      default: break
      }
    }
    guard let picked else {
      overlay = .chooser(c)
      return []
    }
    overlay = nil
    switch c.purpose {
    case .copy: return copy(picked)
    case .open: return open(picked.value)
    }
  }

  // MARK: - Export

  /// The name an export is offered under: the data file's name with `-view.json`.
  var defaultExportName: String {
    let stem = (user.dataName ?? "sparks-group").split(separator: "/").last.map(String.init) ?? "timeline"
    let base = stem.hasSuffix(".json") ? String(stem.dropLast(5)) : stem
    return base + "-view.json"
  }

  mutating func startExport() {
    if results.isEmpty {
      message = "no event listed: nothing to write"
      return
    }
    overlay = .prompt(Prompt(kind: .export, text: defaultExportName))
  }

  /// Enter at the export prompt: the format from the name, then the runtime writes (asking first
  /// when the file exists).
  mutating func acceptExport(_ text: String, overwrite: Bool) -> [Effect] {
    let path = text.trimmingCharacters(in: .whitespaces)
    guard !path.isEmpty else {
      message = "nothing written"
      return []
    }
    guard let format = ListFormat.forFileName(path) else {
      message = "unknown format: end the name with .json .csv .md .txt .ics or .tljs"
      overlay = .prompt(Prompt(kind: .export, text: path))
      return []
    }
    message = "writing \(results.count) event\(results.count == 1 ? "" : "s")…"
    return [.export(ExportRequest(path: path, format: format, overwrite: overwrite))]
  }

  /// The runtime found the file there: ask before replacing it.
  mutating func confirmOverwrite(_ request: ExportRequest) {
    overlay = .prompt(Prompt(kind: .overwrite(request)))
  }

  // MARK: - Sessions

  /// What to save: the filters, the search, marked-only, the selection and focus, the marks and notes.
  public func session() -> Session {
    var s = Session()
    var q = query
    if let search {
      q.text = search.text
      q.regex = search.regex
    }
    s.setQuery(q, searchFilters: search?.isFilter ?? false)
    s.markedOnly = user.markedOnly
    s.selected = user.selectedID ?? selectedEvent.flatMap(eventID)
    s.focus = focus == .detail ? "detail" : "list"
    s.detailScroll = detailScroll > 0 ? detailScroll : nil
    s.annotations = user.annotations
    return s
  }

  /// Marks and notes from a saved session (when filters come from the command line).
  public mutating func restoreAnnotations(_ annotations: Annotations) -> String {
    user.annotations = annotations
    user.index = AnnotationIndex(annotations, in: timeline)
    user.notesVersion += 1
    return annotationSummary()
  }

  /// Where the user left this file: filters, search, marked-only, selection, focus, marks and notes.
  /// Returns what to say about it.
  /// The search is answered at once (`searchNow`, read without the word index), or left pending for
  /// `Action.start` to ask of the runtime, which may answer it in the background.
  public mutating func restore(_ s: Session, searchNow: Bool = true) -> String {
    var said = restoreAnnotations(s.annotations)
    user.markedOnly = s.markedOnly && !user.index.marked.isEmpty
    setQuery(s.query)
    if let saved = s.search, !saved.text.isEmpty {
      var found = SearchState(text: saved.text, regex: saved.regex, isFilter: saved.filters)
      if searchNow {
        // Once, without building the word index, as a search given on the command line is.
        found.textMatches = timeline.matches(found.query, narrowing: nil, textSearch: .scan, userNotes: user.index.notes)
      } else {
        searchGeneration += 1
        found.pending = true
        found.unanswered = true
      }
      setSearch(found)
    }
    if let id = s.selected, let e = timeline.eventNumbers(ofIDs: [id])[id], let r = resultIndex(ofEvent: e) {
      select(r)
    }
    if s.focus == "detail" && !results.isEmpty {
      focus = .detail
      detailScroll = s.detailScroll ?? 0
      clampDetailScroll()
    }
    scrollToSelection()
    var parts: [String] = []
    let filters = FilterText.parts(query, timeline, short: true).count
    if filters > 0 { parts.append("\(filters) filter\(filters == 1 ? "" : "s")") }
    if let search { parts.append((search.isFilter ? "search as a filter \"" : "search \"") + search.text + "\"") }
    if user.markedOnly { parts.append("marked only") }
    if !said.isEmpty { parts.append(said) }
    said = "session restored" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    return said + " (\(bindings.short(.resetSession)) starts afresh)"
  }

  /// "3 marks, 1 note; 2 marks on events no longer in the file".
  func annotationSummary() -> String {
    let marks = user.index.marked.count
    let notes = user.index.notes.count
    var parts: [String] = []
    if marks > 0 { parts.append("\(marks) mark\(marks == 1 ? "" : "s")") }
    if notes > 0 { parts.append("\(notes) note\(notes == 1 ? "" : "s")") }
    var out = parts.joined(separator: ", ")
    let gone = user.index.missingMarks.count + user.index.missingNotes.count
    if gone > 0 {
      let ids = (user.index.missingMarks + user.index.missingNotes).prefix(3).joined(separator: ", ")
      out += (out.isEmpty ? "" : "; ") + "\(gone) on events no longer in the file (\(ids)\(gone > 3 ? "…" : ""))"
    }
    return out
  }

  /// `Ctrl-R`: no filters, no search, every event, the first one selected; marks and notes stay.
  mutating func resetSession() -> [Effect] {
    rememberForUndo()
    user.markedOnly = false
    search = nil
    setQuery(Query())
    focus = .list
    select(0)
    list.top = rowsStart
    message = "afresh: no filters, no search (marks and notes kept; \(bindings.short(.undo)) undoes)"
    return [.saveSession]
  }

  // MARK: - The data file changed

  /// The runtime read the data file again after it changed, or found it changed, invalid or gone.
  mutating func receiveReload(_ reload: Reload) -> [Effect] {
    let name = user.dataName ?? "the file"
    switch reload.outcome {
    case .gone:
      user.file = .gone
      message = "\(name) is no longer on disk; the view stays as it was"
    case .unreadable(let why):
      user.file = .changed
      message = "\(name) changed but cannot be read (\(why)); the view stays as it was (\(bindings.short(.reload)) tries again)"
    case .invalid(let problems, let total):
      user.file = .invalid(problems: problems, total: total)
      message = "file changed: \(total) problem\(total == 1 ? "" : "s") (\(bindings.short(.showProblems)) lists them; the last good view stays)"
    case .loaded(let value):
      return replaceTimeline(value.timeline)
    }
    return []
  }

  /// Shows a new version of the timeline, keeping the filters, the search, the marks, the selected
  /// event (by id, else the nearest in time) and where it sits on screen.
  mutating func replaceTimeline(_ new: Timeline) -> [Effect] {
    let id = user.selectedID ?? selectedEvent.flatMap(eventID)
    let key = selectedEvent.map { timeline.startKey(at: Int($0)) }
    let offset = distance(from: list.top, to: RowCursor(result: selected, part: .event), limit: size.height) ?? 0
    let before = user.index.marked.count
    timeline = new
    user.index = AnnotationIndex(user.annotations, in: new)
    user.file = .current
    if case .picker = overlay { overlay = nil }
    if case .chooser = overlay { overlay = nil }
    // What undo would bring back holds event numbers of the old version.
    undoStack.removeAll()
    // The search asked again of the new version, at once: the reader built its word index, and a
    // search used as a filter must list the selected event before it can be found again.
    searchGeneration += 1
    if var s = search {
      s.textMatches = new.matches(s.query, narrowing: nil, userNotes: user.index.notes)
      s.pending = false
      s.unanswered = false
      search = s
    }
    setQuery(query)
    var kept = false
    if let id, let e = new.eventNumbers(ofIDs: [id])[id], let r = resultIndex(ofEvent: e) {
      select(r)
      kept = true
    } else if let key, !results.isEmpty {
      select(min(results.count - 1, SortedLists.partitionPoint(results.count) { new.startKey(at: Int(results[$0])) >= key }))
    }
    list.top = moved(RowCursor(result: selected, part: .event), by: -offset)
    scrollToSelection()
    clampDetailScroll()
    var said = "file changed: read again, \(new.count) events"
    if !kept && id != nil { said += "; the selected event is gone" }
    let lost = before - user.index.marked.count
    if lost > 0 { said += "; \(lost) mark\(lost == 1 ? "" : "s") on events no longer in the file (kept)" }
    message = said
    return []
  }

  mutating func showProblems() {
    if case .invalid = user.file {
      overlay = .problems(scroll: 0)
    } else {
      message = user.file == .current ? "no problems: the view is the file as it is" : "the file has not been read again yet"
    }
  }
}

/// A small list to choose from (`y`, `Y`, `O` when there are several): what to copy or open.
public struct Chooser: Hashable, Sendable {
  public enum Purpose: Hashable, Sendable { case copy, open }
  public struct Choice: Hashable, Sendable {
    public var label: String
    public var value: String
  }
  public var purpose: Purpose
  public var choices: [Choice]
  public var highlighted = 0
}

/// The user's note on an event being written (`a`): text with line breaks, edited as a prompt is.
public struct NoteEditor: Hashable, Sendable {
  public var id: String
  public var event: UInt32
  /// The timeline the event number belongs to.
  var timeline: TimelineValue
  public var editor: LineEditor

  init(id: String, event: UInt32, timeline: TimelineValue, text: String) {
    self.id = id
    self.event = event
    self.timeline = timeline
    editor = LineEditor(text)
  }
}

/// An export the runtime carries out: the listed events to a file, in the format its name asks for.
public struct ExportRequest: Hashable, Sendable {
  public var path: String
  public var format: ListFormat
  /// Whether the user agreed to replace an existing file.
  public var overwrite: Bool
}
