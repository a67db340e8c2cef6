/// Reads spreadsheets: the TimelineJS template exported as CSV, and any CSV or TSV with a header row.
///
/// Columns are found by their header text, in any order. The TimelineJS template's columns (`Year`,
/// `Month`, `Day`, `Time`, `End Year`, …, `Headline`, `Text`, `Media`, `Type`, `Group` or `Tag`) keep
/// TimelineJS's meaning; other columns are this program's fields, named by `--columns` or guessed from
/// their headers (`Country`, `People`, `Tags`, `Confidence`, `Source`, `Notes`, `ID`). Cells with several
/// values are split on `;` (or the separator chosen). Every problem names its row and column.
///
/// Built for size: the file is read once as bytes, a cell is made into text only if a field needs it,
/// country codes and person names are looked up once each, and rows go straight to the builder.
struct SpreadsheetImporter {
  let session: ImportSession

  /// The columns of the header, by position.
  struct Header {
    var names: [String]
    /// Column index of each TimelineJS template column (lower-cased header), and of each field.
    var template: [String: Int] = [:]
    var fields: [ImportField: Int] = [:]

    func cell(_ name: String) -> Int? { template[name] }
  }

  static let templateColumns = [
    "year", "month", "day", "time", "end year", "end month", "end day", "end time", "display date", "headline", "text",
    "media", "media credit", "media caption", "media thumbnail", "alt text", "type", "group", "tag", "background",
    "start date", "end date",
  ]

  // MARK: - Reading

  func run(_ buffer: UnsafeBufferPointer<UInt8>, delimiter: UInt8, timelineJS: Bool) -> (title: String?, description: String?) {
    var reader = CSVReader(buffer, delimiter: delimiter)
    var fields: [CSVReader.Field] = []
    var title: String?
    var description: String?
    do throws(CSVReader.SyntaxError) {
      guard try reader.next(into: &fields) else {
        session.report(SourcePosition(line: 1, column: 1), "the file is empty; expected a header row naming the columns")
        return (nil, nil)
      }
      guard let header = makeHeader(fields, reader, timelineJS: timelineJS) else { return (nil, nil) }
      var eventNumber = 0
      var eraNumber = 0
      while try reader.next(into: &fields) {
        let row = reader.record
        // A row of empty cells is a blank line to a spreadsheet.
        if fields.allSatisfy({ $0.start == $0.end }) { continue }
        if fields.count > header.names.count {
          let extra = fields[header.names.count]
          let position = SourcePosition.cell(row: row, header: nil, line: extra.line, column: reader.column(of: extra.offset))
          if session.settle([(position, "the row has \(fields.count) cells, the header \(header.names.count): is a comma missing its quotes?")]) { continue }
        }
        let r = Row(reader: reader, fields: fields, header: header, row: row)
        if timelineJS {
          switch r.lowered("type") {
          case "title" where title == nil:
            title = HTMLText.singleLine(HTMLText.plainText(r.text("headline")).text)
            let d = HTMLText.plainText(r.text("text")).text
            description = d.isEmpty ? nil : d
            continue
          case "era":
            eraNumber += 1
            TimelineJSImporter(session: session).addEra(templateSlide(r), fallbackID: "era-\(eraNumber)")
            continue
          default: break
          }
          eventNumber += 1
          TimelineJSImporter(session: session).addEvent(templateSlide(r), number: eventNumber, fallbackID: "row-\(row)")
        } else {
          eventNumber += 1
          addGenericRow(r)
        }
      }
    } catch {
      session.report(SourcePosition(line: error.line, column: reader.column(of: error.offset)), error.message)
    }
    return (title, description)
  }

  private func makeHeader(_ fields: [CSVReader.Field], _ reader: CSVReader, timelineJS: Bool) -> Header? {
    var header = Header(names: fields.map { reader.string($0).trimmingWhitespace() })
    for (k, name) in header.names.enumerated() {
      let key = name.lowercased()
      if timelineJS, Self.templateColumns.contains(key), header.template[key] == nil { header.template[key] = k }
    }
    if header.template["group"] == nil, let tag = header.template["tag"] { header.template["group"] = tag }
    // Fields named on the command line.
    let folded = header.names.map { TextFolding.folded($0) }
    for field in ImportField.allCases {
      guard let name = session.options.columns[field] else { continue }
      guard let k = folded.firstIndex(of: TextFolding.folded(name)) else {
        let known = header.names.map { "\"\($0)\"" }.joined(separator: ", ")
        session.report(.cell(row: 1, header: nil, line: 1, column: 1), "no column \"\(name)\" for \(field.rawValue); the columns are \(known)")
        return nil
      }
      header.fields[field] = k
    }
    // The others guessed from the headers, each column used once; the template's own columns are not
    // fields of this program.
    var taken = Set(header.fields.values).union(header.template.values)
    for field in ImportField.allCases where header.fields[field] == nil {
      if let k = folded.indices.first(where: { !taken.contains($0) && field.guesses.contains(folded[$0]) }) {
        header.fields[field] = k
        taken.insert(k)
      }
    }
    if timelineJS {
      if header.template["year"] == nil && header.template["start date"] == nil {
        session.report(.cell(row: 1, header: nil, line: 1, column: 1), "a TimelineJS spreadsheet needs a \"Year\" column (or \"Start Date\")")
        return nil
      }
    } else {
      var missing: [String] = []
      if header.fields[.date] == nil { missing.append("a date") }
      if header.fields[.title] == nil && header.fields[.summary] == nil { missing.append("a title") }
      if !missing.isEmpty {
        let columns = header.names.map { "\"\($0)\"" }.joined(separator: ", ")
        session.report(
          .cell(row: 1, header: nil, line: 1, column: 1),
          "no column for \(missing.joined(separator: " or ")): the columns are \(columns); name them with --columns date=…,title=…")
        return nil
      }
    }
    return header
  }

  /// One row's cells, read on demand.
  struct Row {
    let reader: CSVReader
    let fields: [CSVReader.Field]
    let header: Header
    let row: Int

    func field(_ column: Int?) -> CSVReader.Field? {
      guard let column, column < fields.count else { return nil }
      return fields[column]
    }

    func text(_ template: String) -> String { field(header.template[template]).map { reader.trimmedString($0) } ?? "" }
    func text(_ f: ImportField) -> String { field(header.fields[f]).map { reader.trimmedString($0) } ?? "" }
    func lowered(_ template: String) -> String {
      guard let f = field(header.template[template]), f.end - f.start < 16 else { return "" }
      return reader.string(f).trimmingWhitespace().lowercased()
    }
    func isEmpty(_ template: String) -> Bool {
      guard let f = field(header.template[template]) else { return true }
      return reader.raw(f).allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The position of a cell (its column's header, the line and column where it starts), or of the row.
    func position(_ column: Int?) -> SourcePosition {
      guard let column else { return .cell(row: row, header: nil, line: fields.first?.line ?? 0, column: 1) }
      let name = column < header.names.count ? header.names[column] : nil
      guard let f = field(column) else { return .cell(row: row, header: name, line: fields.last?.line ?? 0, column: 0) }
      return .cell(row: row, header: name, line: f.line, column: reader.column(of: f.offset))
    }
    func position(_ template: String) -> SourcePosition { position(header.template[template]) }
    func position(_ f: ImportField) -> SourcePosition { position(header.fields[f]) }
  }

  // MARK: - The TimelineJS template

  /// A template row as a TimelineJS slide.
  private func templateSlide(_ r: Row) -> TimelineJSImporter.Slide {
    var slide = TimelineJSImporter.Slide(position: r.position(nil))
    var notes: [String] = []
    // Positions by the names addEvent asks for.
    let startColumn = r.header.template["year"] != nil ? "year" : "start date"
    slide.fieldPositions["start_date"] = r.position(startColumn)
    slide.fieldPositions["end_date"] = r.position(r.header.template["end year"] != nil ? "end year" : "end date")
    slide.fieldPositions["headline"] = r.position("headline")
    slide.fieldPositions["x_countries"] = r.position(.countries)
    slide.fieldPositions["x_people"] = r.position(.people)

    func date(_ prefix: String, _ legacy: String) -> TimelineDate? {
      if r.header.template[prefix + "year"] == nil, r.header.template[legacy] != nil {
        let raw = r.text(legacy)
        if raw.isEmpty { return nil }
        switch DateReading.flexible(raw, order: session.options.dateOrder) {
        case .success(let d): return d
        case .failure(let f):
          slide.problems.append((r.position(legacy), "invalid date \"\(TerminalSafety.sanitized(raw))\": \(f)"))
          slide.dateFailed = true
          return nil
        }
      }
      var parts: [String: Int64] = [:]
      for part in ["year", "month", "day"] where !r.isEmpty(prefix + part) {
        switch DateReading.integerPart(r.text(prefix + part)) {
        case .success(let v): parts[part] = v
        case .failure(let f):
          slide.problems.append((r.position(prefix + part), f.description))
          slide.dateFailed = true
          return nil
        }
      }
      if !r.isEmpty(prefix + "time") {
        let raw = r.text(prefix + "time")
        if parts["year"] == nil {
          slide.problems.append((r.position(prefix + "time"), "a time needs a \(prefix.isEmpty ? "Year" : "End Year")"))
          slide.dateFailed = true
          return nil
        }
        switch DateReading.timeOfDay(raw) {
        case .success(let t):
          if parts["day"] != nil {
            parts["hour"] = Int64(t.hour)
            parts["minute"] = Int64(t.minute)
          } else {
            // A time of day without a day has no place in a date here; the note keeps it.
            notes.append("\(prefix.isEmpty ? "Time" : "End time"): \(raw)")
          }
        case .failure(let f):
          slide.problems.append((r.position(prefix + "time"), f.description))
          slide.dateFailed = true
          return nil
        }
      }
      if parts.isEmpty { return nil }
      switch DateReading.timelineJSDate(year: parts["year"], month: parts["month"], day: parts["day"], hour: parts["hour"], minute: parts["minute"]) {
      case .success(let d): return d
      case .failure(let f):
        // Placed at the part the message is about.
        let part = f.description.hasPrefix("the day") || f.description.hasPrefix("a day") ? "day" : parts["year"] == nil ? "year" : "month"
        slide.problems.append((r.position(prefix + part), "invalid date: \(f.description)"))
        slide.dateFailed = true
        return nil
      }
    }
    slide.start = date("", "start date")
    slide.end = date("end ", "end date")
    slide.headline = r.text("headline")
    slide.text = r.text("text")
    let group = r.text("group")
    if !group.isEmpty { slide.group = [HTMLText.plainText(group).text] }
    let display = r.text("display date")
    if !display.isEmpty {
      slide.displayDate = display
      if TimelineJSImporter.isApproximateWording(display), let s = slide.start {
        slide.start = TimelineDate(year: s.year, month: s.month, day: s.day, hour: s.hour, minute: s.minute, approximate: true)
      }
    }
    let media = r.text("media")
    if !media.isEmpty { slide.media = (media, r.text("media credit"), r.text("media caption")) }
    readExtras(r, into: &slide)
    if !notes.isEmpty { slide.notes = ([slide.notes].compactMap { $0 } + notes).joined(separator: "\n") }
    return slide
  }

  /// This program's fields in extra columns (people, countries, tags, confidence, sources, notes, id).
  private func readExtras(_ r: Row, into slide: inout TimelineJSImporter.Slide) {
    if r.header.fields[.countries] != nil { slide.countries = session.values(r.text(.countries)) }
    if r.header.fields[.people] != nil { slide.people = session.values(r.text(.people)) }
    if r.header.fields[.tags] != nil { slide.tags = session.values(r.text(.tags)) }
    if r.header.fields[.id] != nil { slide.uniqueID = r.text(.id) }
    if r.header.fields[.notes] != nil {
      let n = r.text(.notes)
      if !n.isEmpty { slide.notes = n }
    }
    if r.header.fields[.confidence] != nil {
      let c = r.text(.confidence)
      if !c.isEmpty {
        if let v = ImportSession.confidence(c) { slide.confidence = v } else { slide.problems.append((r.position(.confidence), Rules.invalidConfidence(c))) }
      }
    }
    if r.header.fields[.source] != nil {
      for value in session.values(r.text(.source)) {
        slide.sources.append(sourceID(value, at: r.position(.source)))
      }
    }
  }

  /// A source cell's value: a link, or the name of a document.
  private func sourceID(_ value: String, at position: SourcePosition) -> String {
    if value.hasPrefix("http://") || value.hasPrefix("https://") { return session.source(url: value, title: nil, at: position) }
    return session.source(named: value, at: position)
  }

  // MARK: - Any spreadsheet

  private func addGenericRow(_ r: Row) {
    var problems: [(SourcePosition, String)] = []
    func date(_ f: ImportField) -> TimelineDate? {
      let raw = r.text(f)
      if raw.isEmpty {
        if f == .date { problems.append((r.position(f), "the date is empty")) }
        return nil
      }
      switch DateReading.flexible(raw, order: session.options.dateOrder) {
      case .success(let d): return d
      case .failure(let e):
        problems.append((r.position(f), "invalid date \"\(TerminalSafety.sanitized(raw))\": \(e)"))
        return nil
      }
    }
    let start = date(.date)
    let end = r.header.fields[.end] != nil ? date(.end) : nil
    var title = r.header.fields[.title] != nil ? HTMLText.singleLine(HTMLText.plainText(r.text(.title)).text) : ""
    let summary = r.header.fields[.summary] != nil ? HTMLText.plainText(r.text(.summary)) : HTMLText.Result(text: "", links: [])
    if title.isEmpty {
      // A message or description column standing in for a title: its first line.
      let first = summary.text.split(separator: "\n").first.map(String.init) ?? ""
      title = first.count > 100 ? String(first.prefix(99)) + "…" : first
    }
    if title.isEmpty { problems.append((r.position(r.header.fields[.title] != nil ? .title : .summary), "the title is empty")) }
    if let start, let end, Rules.endsBeforeStart(start, end) { problems.append((r.position(.end), Rules.endsBeforeStart("event", start, end))) }
    var countries: [String] = []
    for c in session.values(r.text(.countries)) {
      switch session.country(c) {
      case .success(let code): if !countries.contains(code) { countries.append(code) }
      case .failure(let f): problems.append((r.position(.countries), f.description))
      }
    }
    var confidence: Confidence?
    let c = r.text(.confidence)
    if !c.isEmpty {
      confidence = ImportSession.confidence(c)
      if confidence == nil { problems.append((r.position(.confidence), Rules.invalidConfidence(c))) }
    }
    if session.settle(problems) { return }
    guard let start else { return }
    var sources = session.values(r.text(.source)).map { sourceID($0, at: r.position(.source)) }
    for link in summary.links { sources.append(session.source(url: link.url, title: link.text, at: r.position(.summary))) }
    if sources.isEmpty { sources = [session.fileSource()] }
    if confidence == nil { session.usedDefaultConfidence = true }
    let notes = r.text(.notes)
    let event = Event(
      id: session.uniqueID(r.header.fields[.id] != nil ? r.text(.id) : nil, fallback: "row-\(r.row)", kind: "event"), date: start,
      end: end, title: title, summary: summary.text == title ? "" : summary.text, countries: countries,
      people: session.values(r.text(.people)).map { session.personID($0, at: r.position(.people)) },
      tags: session.values(r.text(.tags)), confidence: confidence ?? session.options.defaultConfidence, sources: sources,
      notes: notes.isEmpty ? nil : notes)
    session.builder.add(event, at: r.position(nil))
  }
}
