/// The fast way through a large TimelineJS spreadsheet: two threads each read half of the file into
/// event columns, which are joined and handed to `TimelineAssembler`, as the JSON streaming loader does.
///
/// The reference importer (`SpreadsheetImporter` on `TimelineBuilder`) makes an `Event` value per row and
/// the builder checks and packs it: about 16 µs a row, 16 s for a million rows. This path does the same
/// work with the same rules (it calls the same date, text, title and notes functions) without the values
/// in between, and on two cores. Like the JSON fast path it handles only what it expects: the template's
/// columns with `Country` and `People` beside them, rows that are all valid, text without links. At the
/// first thing it does not expect it gives up (`nil`), and the reference importer reads the file and
/// explains. A test checks that both give the same timeline.
enum SpreadsheetFastPath {
  /// Smaller files are read by the reference importer (as fast at that size, and simpler).
  static let threshold = 1 << 20

  static func run(_ buffer: UnsafeBufferPointer<UInt8>, session: ImportSession, delimiter: UInt8) -> ImportResult? {
    // The header, read as the reference importer reads it.
    var reader = CSVReader(buffer, delimiter: delimiter)
    var fields: [CSVReader.Field] = []
    guard (try? reader.next(into: &fields)) == true else { return nil }
    let names = fields.map { reader.string($0).trimmingWhitespace() }
    guard let layout = Layout(names: names, options: session.options) else { return nil }
    let bodyStart = reader.pos
    let headerLines = reader.line - 1

    // Two halves: the second starts at a line start after the middle. A quoted cell spanning that line
    // break would make the second thread start inside it; the first thread's last record must then end
    // exactly where the second began, which is checked.
    let middle = bodyStart + (buffer.count - bodyStart) / 2
    var split = middle
    while split < buffer.count && buffer[split] != 0x0A { split += 1 }
    split = min(split + 1, buffer.count)
    let halves: [Range<Int>] =
      buffer.count - bodyStart < session.options.fastPathThreshold || split >= buffer.count
      ? [bodyStart..<buffer.count] : [bodyStart..<split, split..<buffer.count]
    let options = session.options
    nonisolated(unsafe) let base = buffer
    let parts: [Part?] = Parallel.map(halves.map { range in
      { Part.read(base, range: range, layout: layout, options: options, delimiter: delimiter) }
    })
    if parts.allSatisfy({ $0 != nil }) && (parts.count == 1 || parts[0]!.end == split) {
      return join(parts.map { $0! }, layout: layout, session: session, headerLines: headerLines)
    }
    // The second half may have started inside a quoted cell: read the whole file on one thread.
    guard halves.count == 2, let whole = Part.read(base, range: bodyStart..<buffer.count, layout: layout, options: options, delimiter: delimiter) else {
      return nil
    }
    return join([whole], layout: layout, session: session, headerLines: headerLines)
  }

  /// Which column holds what, for a header this path can read; nil for anything else.
  struct Layout: Sendable {
    var columns: [String: Int] = [:]
    var count: Int

    init?(names: [String], options: ImportOptions) {
      guard options.columns.isEmpty else { return nil }
      count = names.count
      let known: Set<String> = [
        "year", "month", "day", "time", "end year", "end month", "end day", "end time", "display date", "headline", "text",
        "media", "media credit", "media caption", "media thumbnail", "alt text", "type", "group", "tag", "background",
      ]
      for (k, name) in names.enumerated() {
        let key = name.lowercased()
        if known.contains(key) {
          if columns[key] == nil { columns[key] = k }
        } else {
          // Beside the template, only the columns the reference importer reads as countries and people.
          let folded = TextFolding.folded(name)
          if ImportField.countries.guesses.contains(folded), columns["countries"] == nil {
            columns["countries"] = k
          } else if ImportField.people.guesses.contains(folded), columns["people"] == nil {
            columns["people"] = k
          } else if ImportField.allCases.contains(where: { $0.guesses.contains(folded) }) {
            return nil
          }
        }
      }
      if columns["group"] == nil, let tag = columns["tag"] { columns["group"] = tag }
      guard columns["year"] != nil else { return nil }
    }

    func index(_ name: String) -> Int? { columns[name] }
  }

  /// One thread's rows, as columns.
  struct Part: @unchecked Sendable {
    var columns = EventColumns()
    var text: [UInt8] = []
    /// Tags and people's names in order of first use here; rows refer to them by number.
    var tags = Numbering()
    var people = Numbering()
    /// The title row and era rows: (row, headline, text) and (row, slide).
    var title: (headline: String, text: String)?
    var eras: [(row: Int, start: TimelineDate, end: TimelineDate, title: String, summary: String)] = []
    /// Rows and lines read (both counted from this part's start).
    var rows = 0
    var lines = 0
    /// Where the last record read ends.
    var end = 0
    var usedDefaultConfidence = false

    /// Reads `range` (whole records); nil at the first row this path does not handle.
    static func read(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>, layout: Layout, options: ImportOptions, delimiter: UInt8) -> Part? {
      var part = Part()
      // The whole file, so that the last record may run past the range's end (a quoted line break).
      var reader = CSVReader(buffer, delimiter: delimiter, start: range.lowerBound)
      var fields: [CSVReader.Field] = []
      var countryCache: [String: String?] = [:]
      let estimate = range.count / 300
      part.columns.reserve(estimate)
      // Titles and texts take about two thirds of a row's bytes: room for them without growing.
      part.text.reserveCapacity(range.count * 3 / 4)
      do {
        while try reader.next(into: &fields) {
          part.rows = reader.record
          if fields.allSatisfy({ $0.start == $0.end }) { continue }
          guard fields.count <= layout.count else { return nil }
          guard part.add(fields, reader: reader, layout: layout, options: options, countryCache: &countryCache) else { return nil }
          if reader.pos >= range.upperBound { break }
        }
      } catch {
        return nil
      }
      part.rows = reader.record
      part.lines = reader.line - 1
      part.end = reader.pos
      return part
    }

    /// Adds one row; false when the row is not one this path handles.
    mutating func add(
      _ fields: [CSVReader.Field], reader: CSVReader, layout: Layout, options: ImportOptions, countryCache: inout [String: String?]
    ) -> Bool {
      func raw(_ name: String) -> UnsafeBufferPointer<UInt8>? {
        guard let k = layout.index(name), k < fields.count else { return nil }
        return reader.raw(fields[k])
      }
      func string(_ name: String) -> String {
        guard let k = layout.index(name), k < fields.count else { return "" }
        return reader.trimmedString(fields[k])
      }
      func isEmpty(_ name: String) -> Bool { raw(name)?.allSatisfy { $0 == 0x20 || $0 == 0x09 } ?? true }
      // Cells with doubled quotes or text after a closing quote go through `string`; others are read raw.
      func needsCleaning(_ name: String) -> Bool {
        guard let k = layout.index(name), k < fields.count else { return false }
        return fields[k].needsCleaning
      }
      func integer(_ name: String) -> Int64?? {
        guard let r = raw(name), !r.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return .some(nil) }
        if !needsCleaning(name), r.count <= 12, let v = plainInteger(r) { return .some(v) }
        switch DateReading.integerPart(string(name)) {
        case .success(let v): return .some(v)
        case .failure: return nil
        }
      }
      func date(_ prefix: String, notes: inout [String]) -> TimelineDate?? {
        var parts: [Int64?] = []
        for part in ["year", "month", "day"] {
          guard let v = integer(prefix + part) else { return nil }
          parts.append(v)
        }
        var hour: Int64?
        var minute: Int64?
        if !isEmpty(prefix + "time") {
          let written = string(prefix + "time")
          guard parts[0] != nil, case .success(let t) = DateReading.timeOfDay(written) else { return nil }
          if parts[2] != nil {
            hour = Int64(t.hour)
            minute = Int64(t.minute)
          } else {
            notes.append("\(prefix.isEmpty ? "Time" : "End time"): \(written)")
          }
        }
        if parts.allSatisfy({ $0 == nil }) { return .some(nil) }
        guard case .success(let d) = DateReading.timelineJSDate(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute) else {
          return nil
        }
        return .some(d)
      }

      let type = isEmpty("type") ? "" : string("type").lowercased()
      if type == "title" && title == nil {
        title = (HTMLText.singleLine(HTMLText.plainText(string("headline")).text), HTMLText.plainText(string("text")).text)
        return true
      }
      var timeNotes: [String] = []
      guard let startOrNil = date("", notes: &timeNotes), let end = date("end ", notes: &timeNotes) else { return false }
      // Headline and text go straight into the text as plain text.
      func plain(_ name: String) -> (TextRef, [HTMLText.Link]) {
        let at = text.count
        var links: [HTMLText.Link] = []
        if let k = layout.index(name), k < fields.count {
          if fields[k].needsCleaning {
            links = reader.bytes(fields[k]).withUnsafeBufferPointer { HTMLText.plainText($0, into: &text) }
          } else {
            links = HTMLText.plainText(reader.raw(fields[k]), into: &text)
          }
        }
        return (text.count == at ? .empty : TextRef(offset: at, length: text.count - at, escaped: false), links)
      }
      let mark = text.count
      let (headline, headlineLinks) = plain("headline")
      let (body, bodyLinks) = plain("text")
      func string(_ r: TextRef) -> String { String(decoding: text[r.range], as: UTF8.self) }
      if type == "era" {
        let title = HTMLText.singleLine(string(headline))
        let summary = string(body)
        text.removeSubrange(mark..<text.count)
        guard let start = startOrNil, let end, !title.isEmpty, !Rules.endsBeforeStart(start, end) else { return false }
        eras.append((reader.record, start, end, title, summary))
        return true
      }
      guard let start = startOrNil, headlineLinks.isEmpty, bodyLinks.isEmpty else { return false }
      if let end, Rules.endsBeforeStart(start, end) { return false }
      let media = isEmpty("media") ? nil : (url: string("media"), credit: string("media credit"), caption: string("media caption"))
      // The headline as it is when it is one line (the common case); else the title rules, as text.
      var titleRef = headline
      if headline.isEmpty || text[headline.range].contains(where: { $0 == 0x0A || $0 == 0x0D }) {
        let titleText = TimelineJSImporter.title(headline: string(headline), text: string(body), caption: media?.caption)
        guard !titleText.isEmpty else { return false }
        titleRef = store(titleText)
      }
      var start2 = start
      let display = isEmpty("display date") ? nil : string("display date")
      if let display, TimelineJSImporter.isApproximateWording(display) {
        start2 = TimelineDate(year: start.year, month: start.month, day: start.day, hour: start.hour, minute: start.minute, approximate: true)!
      }
      let notes = TimelineJSImporter.notes(timeNotes.isEmpty ? nil : timeNotes.joined(separator: "\n"), displayDate: display, media: media)

      // Countries: codes as they are, names through the resolver (once each).
      if layout.index("countries") != nil, !isEmpty("countries") {
        var seen: [UInt16] = []
        for value in values(string("countries"), options.separator) {
          let u = Array(value.utf8)
          var code: String?
          if u.count == 2, u.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }), let slot = CountryTable.slot(u[0], u[1]), CountryTable.builtIn.contains(slot: slot) {
            code = value
          } else if let cached = countryCache[value] {
            code = cached
          } else {
            code = try? NameResolver.country(value, in: .builtIn).code
            countryCache[value] = code
          }
          guard let code, let slot = CountryTable.slot(of: code) else { return false }
          if !seen.contains(UInt16(slot)) { seen.append(UInt16(slot)) }
        }
        columns.countries.values.append(contentsOf: seen)
      }
      columns.countries.closeList()
      if layout.index("people") != nil, !isEmpty("people") {
        var seen: [UInt32] = []
        for name in values(string("people"), options.separator) {
          let k = people.number(name)
          if !seen.contains(k) { seen.append(k) }
        }
        columns.people.values.append(contentsOf: seen)
      }
      columns.people.closeList()
      let group = isEmpty("group") ? "" : HTMLText.plainText(string("group")).text
      if !group.isEmpty { columns.tags.values.append(tags.number(group)) }
      columns.tags.closeList()
      columns.sources.values.append(0)
      columns.sources.closeList()

      // The id is made when the rows are joined (it holds the row number, known only then).
      columns.ids.append(.empty)
      columns.titles.append(titleRef)
      columns.summaries.append(body)
      columns.notes.append(store(notes ?? ""))
      columns.starts.append(start2)
      columns.ends.append(end)
      columns.confidences.append(options.defaultConfidence)
      usedDefaultConfidence = true
      columns.fileOrder.append(UInt32(reader.record))
      columns.origins.append(PackedPosition(.cell(row: reader.record, header: nil, line: reader.recordLine, column: 1)))
      return true
    }

    private mutating func store(_ s: String) -> TextRef {
      let n = s.utf8.count
      if n == 0 { return .empty }
      let ref = TextRef(offset: text.count, length: n, escaped: false)
      text.append(contentsOf: s.utf8)
      return ref
    }

    private func values(_ cell: String, _ separator: Character) -> [String] {
      ImportSession.values(cell, separator)
    }

    private func plainInteger(_ r: UnsafeBufferPointer<UInt8>) -> Int64? {
      var i = 0
      var negative = false
      if r.first == UInt8(ascii: "-") {
        negative = true
        i = 1
      }
      guard i < r.count else { return nil }
      var v: Int64 = 0
      while i < r.count {
        let d = r[i] &- UInt8(ascii: "0")
        guard d < 10 else { return nil }
        v = v * 10 + Int64(d)
        i += 1
      }
      return negative ? -v : v
    }
  }

  /// The parts joined into one timeline: row numbers and lines made absolute, text concatenated, tags and
  /// people numbered in order of first use over the whole file, ids made, then the assembler's checks,
  /// sort and indexes.
  private static func join(_ parts: consuming [Part], layout: Layout, session: ImportSession, headerLines: Int) -> ImportResult? {
    var columns = EventColumns()
    // The first part's text and columns are taken over, not copied (a few hundred megabytes at a
    // million rows); the others are appended.
    var text: [UInt8] = []
    swap(&text, &parts[0].text)
    var tags = Numbering()
    // People are one by their folded name ("Ann Lee" and "ann lee"), as the reference importer has them.
    var personNames: [String] = []
    var personByKey = Numbering()
    var title: (headline: String, text: String)?
    var eras: [(row: Int, start: TimelineDate, end: TimelineDate, title: String, summary: String)] = []
    var rowOffset = 1  // the header is row 1
    var lineOffset = headerLines
    let usedDefaultConfidence = parts.contains { $0.usedDefaultConfidence }
    for k in parts.indices {
      var part = Part()
      swap(&part, &parts[k])
      let textOffset = k == 0 ? 0 : text.count
      if k > 0 { text.append(contentsOf: part.text) }
      func moved(_ r: TextRef) -> TextRef { r.isEmpty ? r : TextRef(offset: r.offset + textOffset, length: r.length, escaped: false) }
      let tagMap = part.tags.names.map { tags.number($0) }
      let personMap = part.people.names.map { name -> UInt32 in
        let k = personByKey.number(TextFolding.folded(name))
        if k == personNames.count { personNames.append(name) }
        return k
      }
      var c = EventColumns()
      swap(&c, &part.columns)
      if textOffset > 0 {
        c.titles = c.titles.map(moved)
        c.summaries = c.summaries.map(moved)
        c.notes = c.notes.map(moved)
      }
      c.tags.values = c.tags.values.map { tagMap[Int($0)] }
      // Two spellings of one name ("Ann Lee;ann lee") are one person, listed once.
      var people = FlatLists<UInt32>()
      for e in 0..<c.people.count {
        var list: [UInt32] = []
        for p in c.people[e] where !list.contains(personMap[Int(p)]) { list.append(personMap[Int(p)]) }
        people.append(list)
      }
      c.people = people
      c.fileOrder = c.fileOrder.map { $0 + UInt32(rowOffset) }
      c.origins = c.origins.map { p in
        var q = p
        q.record += UInt32(rowOffset)
        q.line += UInt32(lineOffset)
        return q
      }
      if k == 0 { columns = c } else { columns.append(c) }
      if title == nil { title = part.title } else if part.title != nil { return nil }
      eras += part.eras.map { ($0.row + rowOffset, $0.start, $0.end, $0.title, $0.summary) }
      rowOffset += part.rows
      lineOffset += part.lines
    }
    // Ids: `row-N`, the row as the spreadsheet numbers it (kept in fileOrder until now).
    for k in 0..<columns.fileOrder.count {
      let id = "row-\(columns.fileOrder[k])"
      columns.ids[k] = TextRef(offset: text.count, length: id.utf8.count, escaped: false)
      text.append(contentsOf: id.utf8)
      columns.fileOrder[k] = UInt32(k)
    }
    let people = personNames.enumerated().map { k, name in
      Person(id: session.uniqueID(name, fallback: "person-\(k + 1)", kind: "person"), name: name, role: "Named in \(session.baseName).")
    }
    let eraValues = eras.enumerated().map { k, e in
      Era(id: session.uniqueID(e.title, fallback: "era-\(k + 1)", kind: "era"), title: e.title, start: e.start, end: e.end, summary: e.summary.isEmpty ? nil : e.summary)
    }
    session.usedDefaultConfidence = usedDefaultConfidence
    // Every event cites the file (there is no source column on this path).
    if !columns.ids.isEmpty { _ = session.fileSource() }
    let (timelineTitle, description, fileSource) = session.ending(title: title?.headline, description: title.flatMap { $0.text.isEmpty ? nil : $0.text })
    let assembler = TimelineAssembler(
      title: timelineTitle, description: description, sources: fileSource.map { [$0] } ?? [], people: people, eras: eraValues,
      declaredCountries: [])
    var timings = TimelineLoader.Timings()
    let identityPeople = (0..<UInt32(people.count)).map { $0 }
    let timeline = assembler.timeline(
      columns, people: identityPeople, sources: [0], tags: tags.names, document: DocumentText(bytes: text), originFile: session.fileName,
      timings: &timings)
    return ImportResult(timeline: timeline, format: session.format, skipped: [], skippedCount: 0)
  }
}

extension EventColumns {
  /// Room for `n` more rows.
  mutating func reserve(_ n: Int) {
    do {
      ids.reserveCapacity(n)
      titles.reserveCapacity(n)
      summaries.reserveCapacity(n)
      notes.reserveCapacity(n)
      starts.reserveCapacity(n)
      ends.reserveCapacity(n)
      confidences.reserveCapacity(n)
      fileOrder.reserveCapacity(n)
      origins.reserveCapacity(n)
    }
  }

  /// Another set of rows appended after these.
  mutating func append(_ other: EventColumns) {
    ids += other.ids
    titles += other.titles
    summaries += other.summaries
    notes += other.notes
    starts += other.starts
    ends += other.ends
    confidences += other.confidences
    fileOrder += other.fileOrder
    origins += other.origins
    countries.append(lists: other.countries)
    people.append(lists: other.people)
    tags.append(lists: other.tags)
    sources.append(lists: other.sources)
  }
}

extension FlatLists {
  /// Another set of lists appended after these.
  mutating func append(lists other: FlatLists<T>) {
    let shift = UInt32(values.count)
    values += other.values
    starts += other.starts.dropFirst().map { $0 + shift }
  }
}

/// Names numbered in order of first use.
struct Numbering {
  private(set) var names: [String] = []
  private var numbers: [String: UInt32] = [:]

  /// The name's number, given the next one the first time.
  mutating func number(_ name: String) -> UInt32 {
    if let k = numbers[name] { return k }
    let k = UInt32(names.count)
    numbers[name] = k
    names.append(name)
    return k
  }
}
