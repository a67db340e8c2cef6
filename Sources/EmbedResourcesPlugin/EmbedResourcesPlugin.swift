import PackagePlugin

/// Embeds the top-level `Resources/*.json` files into the `BundledTimeline` module as Swift source.
///
/// Why embed rather than ship a resource bundle: SwiftPM's `Bundle.module` accessor calls `fatalError`
/// when the bundle is not next to the executable, so a release binary copied elsewhere without its
/// `.resources` folder would crash on start. Embedding makes `timeline` one self-contained file that finds
/// its data however it is started (`swift run` from any directory, the tests, a copied binary).
@main
struct EmbedResourcesPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let resources = context.package.directoryURL.appending(path: "Resources")
    let inputs = ["sparks-group.json", "timeline.schema.json"].map { resources.appending(path: $0) }
    let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.swift")
    let tool = try context.tool(named: "embed-resources")
    return [
      .buildCommand(
        displayName: "Embedding Resources/*.json into \(target.name)",
        executable: tool.url,
        arguments: [output.path()] + inputs.map { $0.path() },
        inputFiles: inputs,
        outputFiles: [output]
      )
    ]
  }
}
