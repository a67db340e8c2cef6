/// A document an event cites: an article, a press release, a court record.
public struct Source: Hashable, Sendable {
  public var id: String
  public var title: String
  public var publisher: String
  public var author: String?
  /// When it was published; nil when not known (a link or a file an imported timeline cites).
  public var date: TimelineDate?
  public var url: String?
  /// A BCP 47 language tag such as `fr` or `en`.
  public var language: String
  public var notes: String?

  public init(
    id: String, title: String, publisher: String, author: String? = nil, date: TimelineDate?,
    url: String? = nil, language: String, notes: String? = nil
  ) {
    self.id = id
    self.title = title
    self.publisher = publisher
    self.author = author
    self.date = date
    self.url = url
    self.language = language
    self.notes = notes
  }
}

/// Someone events refer to: a suspect, an official, or an unnamed group of people.
public struct Person: Hashable, Sendable {
  public var id: String
  public var name: String
  /// Other names the person is known by: nicknames ("Raid"), other spellings ("Jonathan Correa").
  public var aliases: [String]
  /// ISO code of the nationality or country of residence, when known.
  public var country: String?
  /// One line on who they are in this timeline.
  public var role: String

  public init(id: String, name: String, aliases: [String] = [], country: String? = nil, role: String) {
    self.id = id
    self.name = name
    self.aliases = aliases
    self.country = country
    self.role = role
  }
}

/// A named span of time, such as an investigation or a week of raids. Eras may overlap.
public struct Era: Hashable, Sendable {
  public var id: String
  public var title: String
  public var start: TimelineDate
  public var end: TimelineDate
  public var summary: String?

  public init(id: String, title: String, start: TimelineDate, end: TimelineDate, summary: String? = nil) {
    self.id = id
    self.title = title
    self.start = start
    self.end = end
    self.summary = summary
  }

  /// Whether the era's span meets the span from `lower` to `upper` (day keys, inclusive).
  public func overlaps(lower: Int64, upper: Int64) -> Bool {
    start.lowerKey <= upper && end.upperKey >= lower
  }
}

/// One event, materialised from the timeline's columns for display or export.
///
/// The timeline stores events column by column (so a million of them stay compact); this value is
/// what callers get for the few events they look at.
public struct Event: Hashable, Sendable {
  public var id: String
  public var date: TimelineDate
  public var end: TimelineDate?
  public var title: String
  public var summary: String
  /// ISO codes.
  public var countries: [String]
  /// Person ids.
  public var people: [String]
  public var tags: [String]
  public var confidence: Confidence
  /// Source ids.
  public var sources: [String]
  public var notes: String?

  public init(
    id: String, date: TimelineDate, end: TimelineDate? = nil, title: String, summary: String = "",
    countries: [String] = [], people: [String] = [], tags: [String] = [], confidence: Confidence,
    sources: [String], notes: String? = nil
  ) {
    self.id = id
    self.date = date
    self.end = end
    self.title = title
    self.summary = summary
    self.countries = countries
    self.people = people
    self.tags = tags
    self.confidence = confidence
    self.sources = sources
    self.notes = notes
  }
}
