/// Makes a `Timeline` from values (events, people, sources, eras, country declarations, a title
/// and a description) with the same checks as a timeline file, and messages placed where each value
/// came from.
///
/// Importers of other formats (a spreadsheet, a calendar, TimelineJS) read their file into values and
/// add each with its position; tests use it to make a timeline without writing JSON. Everything a
/// timeline file must satisfy is checked (`Schema.swift`): ids and their grammar, unique ids, titles
/// that are not blank, at least one source per event, references to people and sources that exist,
/// country codes that are built in or declared, ends not before starts. `build()` either returns the
/// timeline or throws a `DecodeFailure` listing every problem found, each as a `Diagnostic` at the
/// position given for its value:
///
/// ```swift
/// let builder = TimelineBuilder(fileName: "raids.csv")
/// builder.title = "Raids"
/// builder.description = "From the newsroom's spreadsheet."
/// // A message about a field names the spreadsheet column it came from.
/// let headers = ["date": "Year", "title": "Headline", "sources": "Source"]
/// builder.fieldPosition = { row, field in row.with(field: headers[field].map { .init(.column, $0) }) }
/// builder.add(Source(id: "sheet", title: "Newsroom sheet", publisher: "Newsroom",
///                    date: TimelineDate(year: 2020)!, language: "en"))
/// builder.add(
///   Event(id: "row-2", date: TimelineDate(year: 2020, month: 8, day: 25, hour: 6, minute: 0)!,
///         title: "Raids begin", countries: ["US"], confidence: .reported, sources: ["sheet"]),
///   at: .cell(row: 2, header: nil, line: 2, column: 1))
/// let timeline = try builder.build()
/// // A bad row fails with, for instance:
/// // raids.csv:3:1: row 3, column "Headline": must not be empty
/// ```
///
/// Each event keeps the position it was added with: `Timeline.origin(at:)` gives the file and the
/// position, so a detail view or a later message can say which row an event came from.
///
/// A class, because what it has gathered (interned ids, packed text) is shared state that a copy
/// would not own; it is meant for one thread.
public final class TimelineBuilder {
  /// The file the values come from, as the user named it: the start of every message.
  public let fileName: String
  public var title = ""
  public var description = ""
  /// Where a field of a record came from, given the record's position (as passed to `add`) and the
  /// field's name in the timeline format (`EventField.name`, `SourceField.name`, …). Importers that know
  /// the column or key of each field set it, so that a message about a title points at the title's
  /// cell; by default a message points at the record's own position.
  public var fieldPosition: ((SourcePosition, String) -> SourcePosition)?

  /// Event text, packed: events refer to it by `TextRef` as they refer to a file's bytes.
  private var text: [UInt8] = []
  private var columns = EventColumns()
  private var anyOrigin = false
  private var eventIDs = ByteInterner(capacity: 1024)
  private var eventIDPlaces: [SourcePosition] = []
  private var citedPeople = ByteInterner()
  private var personCitations: [TimelineAssembler.Citation<SourcePosition>] = []
  private var citedSources = ByteInterner()
  private var sourceCitations: [TimelineAssembler.Citation<SourcePosition>] = []
  private var tagIDs = ByteInterner()
  private var tagNames: [String] = []
  private var pendingCountries: [TimelineAssembler.CountryUse<SourcePosition>] = []
  private var sources: [Source] = []
  private var sourcePlaces: [SourcePosition] = []
  private var people: [Person] = []
  private var personPlaces: [SourcePosition] = []
  private var eras: [Era] = []
  private var declaredCountries: [CountryTable.Country] = []
  private var problems = Problems<SourcePosition>()

  public init(fileName: String) {
    self.fileName = fileName
  }

  /// The number of events added so far.
  public var eventCount: Int { columns.ids.count }

  // MARK: - Adding values

  /// Adds an event; its problems are reported at `position` (or at its fields' positions, see
  /// `fieldPosition`), and the timeline keeps the position as the event's origin.
  public func add(_ event: Event, at position: SourcePosition? = nil) {
    let number = columns.ids.count + 1
    let record = position ?? SourcePosition()
    if position != nil { anyOrigin = true }
    func place(_ field: EventField) -> SourcePosition { self.place(record, field.name) }

    var subject = Subject.event(id: nil, number: number)
    var idRef = TextRef.empty
    if checkText(.id, event.id, record, subject, EventField.id.name) {
      idRef = store(event.id)
      subject = .event(id: idRef, number: number)
      let (n, isNew) = intern(event.id, in: eventIDs)
      if isNew {
        eventIDPlaces.append(place(.id))
      } else {
        problems.report(place(.id), subject, EventField.id.name, "duplicate event id; it is first used at", related: eventIDPlaces[n])
      }
    }
    let title =
      checkText(.nonBlankText, event.title, record, subject, EventField.title.name)
      ? store(event.title, record, subject, EventField.title.name) : .empty
    if let end = event.end, Rules.endsBeforeStart(event.date, end) {
      problems.report(place(.end), subject, EventField.end.name, Rules.endsBeforeStart("event", event.date, end))
    }
    for code in event.countries {
      guard let slot = Rules.countrySlot(code.utf8) else {
        problems.report(place(.countries), subject, EventField.countries.name, hinted: { Rules.malformedCountry(code, hint: $0) })
        continue
      }
      if !CountryTable.builtIn.contains(slot: slot) {
        pendingCountries.append(.init(slot: slot, place: place(.countries), subject: subject, field: EventField.countries.name))
      }
      columns.countries.values.append(UInt16(slot))
    }
    for id in event.people where checkText(.id, id, record, subject, EventField.people.name) {
      let (n, isNew) = intern(id, in: citedPeople)
      if isNew { personCitations.append(.init(place: place(.people), subject: subject, uses: 0)) }
      personCitations[n].uses += 1
      columns.people.values.append(UInt32(n))
    }
    for tag in event.tags where checkText(.nonBlankText, tag, record, subject, EventField.tags.name) {
      let (n, isNew) = intern(tag, in: tagIDs)
      if isNew { tagNames.append(tag) }
      columns.tags.values.append(UInt32(n))
    }
    if event.sources.isEmpty {
      problems.report(place(.sources), subject, EventField.sources.name, Rules.noSource)
    }
    for id in event.sources where checkText(.id, id, record, subject, EventField.sources.name) {
      let (n, isNew) = intern(id, in: citedSources)
      if isNew { sourceCitations.append(.init(place: place(.sources), subject: subject, uses: 0)) }
      sourceCitations[n].uses += 1
      columns.sources.values.append(UInt32(n))
    }

    // One row per event, even an invalid one, so the columns stay aligned (as the decoder does).
    columns.ids.append(idRef)
    columns.titles.append(title)
    columns.summaries.append(store(event.summary, record, subject, EventField.summary.name))
    columns.notes.append(store(event.notes ?? "", record, subject, EventField.notes.name))
    columns.starts.append(event.date)
    columns.ends.append(event.end)
    columns.confidences.append(event.confidence)
    columns.fileOrder.append(UInt32(columns.fileOrder.count))
    columns.countries.closeList()
    columns.people.closeList()
    columns.tags.closeList()
    columns.sources.closeList()
    columns.origins.append(PackedPosition(record))
  }

  public func add(_ source: Source, at position: SourcePosition? = nil) {
    let record = position ?? SourcePosition()
    let subject = Subject.entity("source", sources.count + 1, source.id)
    var ok = checkText(.id, source.id, record, subject, SourceField.id.name)
    ok = checkText(.nonBlankText, source.title, record, subject, SourceField.title.name) && ok
    ok = checkText(.nonBlankText, source.publisher, record, subject, SourceField.publisher.name) && ok
    ok = checkText(.language, source.language, record, subject, SourceField.language.name) && ok
    guard ok else { return }
    sources.append(source)
    sourcePlaces.append(place(record, SourceField.id.name))
  }

  public func add(_ person: Person, at position: SourcePosition? = nil) {
    let record = position ?? SourcePosition()
    let subject = Subject.entity("person", people.count + 1, person.id)
    var ok = checkText(.id, person.id, record, subject, PersonField.id.name)
    ok = checkText(.nonBlankText, person.name, record, subject, PersonField.name.name) && ok
    for alias in person.aliases {
      ok = checkText(.nonBlankText, alias, record, subject, PersonField.aliases.name) && ok
    }
    if let code = person.country {
      let field = PersonField.country.name
      if let slot = Rules.countrySlot(code.utf8) {
        if !CountryTable.builtIn.contains(slot: slot) {
          pendingCountries.append(.init(slot: slot, place: place(record, field), subject: subject, field: field))
        }
      } else {
        problems.report(place(record, field), subject, field, hinted: { Rules.malformedCountry(code, hint: $0) })
        ok = false
      }
    }
    guard ok else { return }
    people.append(person)
    personPlaces.append(place(record, PersonField.id.name))
  }

  public func add(_ era: Era, at position: SourcePosition? = nil) {
    let record = position ?? SourcePosition()
    let subject = Subject.entity("era", eras.count + 1, era.id)
    var ok = checkText(.id, era.id, record, subject, EraField.id.name)
    ok = checkText(.nonBlankText, era.title, record, subject, EraField.title.name) && ok
    if Rules.endsBeforeStart(era.start, era.end) {
      problems.report(place(record, EraField.end.name), subject, EraField.end.name, Rules.endsBeforeStart("era", era.start, era.end))
      ok = false
    }
    if ok && eras.contains(where: { $0.id == era.id }) {
      problems.report(place(record, EraField.id.name), subject, EraField.id.name, "duplicate era id \"\(era.id)\"")
    }
    guard ok else { return }
    eras.append(era)
  }

  /// Declares a country code outside ISO 3166-1, or renames a built-in one (as `"countries"` does in a
  /// timeline file).
  public func declare(_ country: CountryTable.Country, at position: SourcePosition? = nil) {
    let record = position ?? SourcePosition()
    let subject = Subject.text("country \"\(TerminalSafety.sanitized(country.code))\"")
    guard Rules.countrySlot(country.code.utf8) != nil else {
      problems.report(place(record, DocumentField.countries.name), .text(DocumentField.countries.name), nil, Rules.malformedDeclaredCountry(country.code))
      return
    }
    var ok = checkText(.nonBlankText, country.name, record, subject, CountryField.name.name)
    if let fr = country.nameFR { ok = checkText(.nonBlankText, fr, record, subject, CountryField.nameFR.name) && ok }
    for alias in country.aliases {
      ok = checkText(.nonBlankText, alias, record, subject, CountryField.aliases.name) && ok
    }
    if ok { declaredCountries.append(country) }
  }

  // MARK: - Building

  /// The timeline, or every problem found in what was added.
  public func build() throws(DecodeFailure) -> Timeline {
    var problems = self.problems
    if Rules.isBlank(title) {
      problems.report(place(SourcePosition(), DocumentField.title.name), .none, DocumentField.title.name, Rules.blank)
    }
    let assembler = TimelineAssembler(
      title: title, description: description, sources: sources, people: people, eras: eras, declaredCountries: declaredCountries)
    assembler.checkCountries(pendingCountries, into: &problems)
    assembler.checkUniqueIDs(people: personPlaces, sources: sourcePlaces, into: &problems)
    let personMap = assembler.resolvePeople(citedPeople, { self.personCitations[$0] }, into: &problems)
    let sourceMap = assembler.resolveSources(citedSources, { self.sourceCitations[$0] }, into: &problems)
    guard problems.isEmpty else { throw failure(problems) }
    var columns = self.columns
    if !anyOrigin { columns.origins = [] }
    var timings = TimelineLoader.Timings()
    return assembler.timeline(
      columns, people: personMap, sources: sourceMap, tags: tagNames, document: DocumentText(bytes: text),
      originFile: anyOrigin ? fileName : nil, timings: &timings)
  }

  // MARK: - Helpers

  private func place(_ record: SourcePosition, _ field: String) -> SourcePosition {
    fieldPosition?(record, field) ?? record
  }

  /// Checks a text value by its field's kind; reports and returns false if it breaks the rule.
  private func checkText(_ kind: FieldKind, _ value: String, _ record: SourcePosition, _ subject: Subject, _ field: String) -> Bool {
    let message: String?
    switch kind {
    case .id: message = Rules.isValidID(value.utf8) ? nil : Rules.invalidID(value)
    case .nonBlankText: message = Rules.isBlank(value) ? Rules.blank : nil
    case .language: message = Rules.isLanguageTag(value) ? nil : Rules.invalidLanguage(value)
    default: message = nil
    }
    guard let message else { return true }
    problems.report(place(record, field), subject, field, message)
    return false
  }

  /// Packs text for an event, refusing what a `TextRef` cannot hold (as the decoder refuses strings
  /// longer than 8 MiB).
  private func store(_ s: String, _ record: SourcePosition? = nil, _ subject: Subject = .none, _ field: String = "") -> TextRef {
    let n = s.utf8.count
    if n == 0 { return .empty }
    guard n <= TextRef.maxLength else {
      if let record { problems.report(place(record, field), subject, field, "text of \(n) bytes is longer than the limit of \(TextRef.maxLength) bytes") }
      return .empty
    }
    let ref = TextRef(offset: text.count, length: n, escaped: false)
    text.append(contentsOf: s.utf8)
    return ref
  }

  private func intern(_ s: String, in interner: ByteInterner) -> (id: Int, isNew: Bool) {
    var s = s
    return s.withUTF8 { interner.intern($0) }
  }

  private func failure(_ problems: Problems<SourcePosition>) -> DecodeFailure {
    // In file order where positions have lines (a reference is checked at the end but reported where it
    // is made); the others after them, in the order they were found.
    func key(_ p: SourcePosition) -> (Int, Int) { p.line > 0 ? (p.line, p.column) : (Int.max, 0) }
    let ordered = problems.list.enumerated().sorted { a, b in
      let (ka, kb) = (key(a.element.place), key(b.element.place))
      return ka != kb ? ka < kb : a.offset < b.offset
    }.map(\.element)
    let list = ordered.map { p -> Diagnostic in
      var message = p.message
      if let related = p.related { message += " " + related.shortDescription }
      // A position that names its record or field says it in the file's own words.
      let subject = p.place.record == nil ? p.subject.describe { self.string($0) } : nil
      let field = p.place.field == nil ? p.field : nil
      var d = Diagnostic(file: fileName, position: p.place, subject: subject, field: field, message: message)
      d.moreLikeIt = p.moreLikeIt
      return d
    }
    return DecodeFailure(diagnostics: list, omitted: problems.omitted)
  }

  private func string(_ ref: TextRef) -> String { String(decoding: text[ref.range], as: UTF8.self) }
}

extension SourcePosition {
  /// How a message refers to another place: `row 3`, `line 3, column 5`, `line 3`.
  var shortDescription: String {
    if let record { return "\(record.kind.rawValue) \(record.number)" }
    if line > 0 { return column > 0 ? "line \(line), column \(column)" : "line \(line)" }
    return "an earlier place"
  }
}
