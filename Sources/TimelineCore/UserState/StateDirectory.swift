#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the explorer keeps what belongs to the user rather than to a data file (sessions with marks
/// and notes, prompt history): `$XDG_STATE_HOME/timeline/`, or `~/.local/state/timeline/` when the
/// variable is unset or not an absolute path, as the XDG base directory specification says.
///
/// Each data file has its own files there, named by `key(forDataFile:)`.
public struct StateDirectory: Sendable, Equatable {
  /// `.../timeline`, absolute.
  public let path: String

  public init(path: String) {
    self.path = path
  }

  /// The directory for this environment, or nil when neither variable gives an absolute path.
  public init?(environment: [String: String]) {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      path = state + "/timeline"
    } else if let home = environment["HOME"], home.hasPrefix("/") {
      path = (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/state/timeline"
    } else {
      return nil
    }
  }

  /// A file of a kind (`sessions`, `history`) for a data file: `<path>/<kind>/<key>.json`.
  public func file(_ kind: String, forDataFile dataFile: String?) -> String {
    "\(path)/\(kind)/\(Self.key(forDataFile: dataFile)).json"
  }

  /// A stable name for a data file: its name made safe (ASCII letters, digits, `.`, `_`, `-`, at most
  /// 40) and a hash of its absolute path, so that two files of the same name in different folders get
  /// different state, and a person looking in the folder sees which file is which. The bundled case
  /// (nil) is `bundled-sparks-group`.
  public static func key(forDataFile dataFile: String?) -> String {
    guard let dataFile else { return "bundled-sparks-group" }
    let full = absolutePath(dataFile)
    let name = full.split(separator: "/").last.map(String.init) ?? "data"
    let stem = String(
      String.UnicodeScalarView(
        name.unicodeScalars.map { s in
          (s.isASCII && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || "._-".unicodeScalars.contains(s)))
            ? s : "_"
        }
      ).prefix(40))
    return stem + "-" + String(StableHash.fnv1a(full.utf8), radix: 16)
  }

  /// The path made absolute and its symbolic links resolved (`realpath`), so that `./a.json`,
  /// `a.json` and a link to it are one file; a path that cannot be resolved is only made absolute.
  public static func absolutePath(_ path: String) -> String {
    if let resolved = realpath(path, nil) {
      defer { free(resolved) }
      return String(cString: resolved)
    }
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = String(cString: buffer)
    return (cwd == "/" ? "" : cwd) + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
  }
}

/// A hash that is the same in every run (Swift's `Hasher` is seeded per process), for file names and
/// fingerprints. FNV-1a: short inputs, no security claim.
public enum StableHash {
  public static func fnv1a<S: Sequence<UInt8>>(_ bytes: S, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var hash = seed
    for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    return hash
  }
}
