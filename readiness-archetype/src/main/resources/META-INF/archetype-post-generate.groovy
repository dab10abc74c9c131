// Refuses a name or package that the generated service could not carry (batch mode does not apply the
// descriptor's validationRegex), and removes what it just generated, so that nothing half-made is left.
def artifactId = request.artifactId
def pkg = request.properties.get('package')
def problems = []
if (!(artifactId ==~ /[a-z]([a-z0-9-]{0,40}[a-z0-9])?/)) {
    problems << "artifactId '" + artifactId + "' is not a DNS label (lower-case letters, digits and '-', starting" +
            " with a letter, at most 42): it names the jar, the Kubernetes objects and the image"
}
if (!(pkg ==~ /[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*/)) {
    problems << "package '" + pkg + "' is not a lower-case Java package name (com.example.orders)"
}
if (problems) {
    new File(request.outputDirectory, artifactId).deleteDir()
    throw new IllegalArgumentException("readiness-archetype: " + problems.join('; ') + '. Nothing was generated.')
}
