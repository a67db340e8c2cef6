import Foundation

/// The Sparks Group case and the format's JSON Schema, as shipped inside the binary.
///
/// The bytes come from the top-level `Resources/` folder; the `EmbedResourcesPlugin` turns them into
/// Swift source at build time, so nothing is looked up on disk at run time.
public enum BundledTimeline {
  /// The name shown in messages about the bundled file (it has no path of its own once embedded).
  public static let displayName = "<bundled>/" + EmbeddedResources.sparksGroupFileName

  /// The bundled case as the bytes of a timeline document.
  public static var sparksGroup: [UInt8] { decode(EmbeddedResources.sparksGroupBase64) }

  /// The JSON Schema of the timeline format (`Resources/timeline.schema.json`).
  public static var schema: [UInt8] { decode(EmbeddedResources.timelineSchemaBase64) }

  private static func decode(_ base64: String) -> [UInt8] {
    // The plugin wrote this Base64 itself, so a failure here is a build defect, not bad input.
    guard let data = Data(base64Encoded: base64) else { preconditionFailure("embedded resource is not Base64") }
    return [UInt8](data)
  }
}
