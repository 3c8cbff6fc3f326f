# {{jreleaserCreationStamp}}
class {{brewFormulaName}} < Formula
  desc "{{projectDescription}}"
  homepage "{{projectLinkHomepage}}"
  url "{{distributionUrl}}"
  version "{{projectVersion}}"
  sha256 "{{distributionChecksumSha256}}"
  license "{{projectLicense}}"

  {{#brewDependencies}}
  depends_on {{.}}
  {{/brewDependencies}}

  # JReleaser's default formula only links bin/evtctl, which then needs a java on the PATH;
  # this one runs it with the openjdk it depends on (JAVA_HOME still wins) and installs the
  # man pages and completions the archive carries.
  def install
    libexec.install Dir["*"]
    (bin/"{{distributionExecutableName}}").write_env_script libexec/"bin/{{distributionExecutableUnix}}",
      Language::Java.overridable_java_home_env("{{distributionJavaVersion}}")
    man1.install Dir[libexec/"share/man/man1/*.1"]
    bash_completion.install libexec/"share/bash-completion/completions/evtctl"
    zsh_completion.install libexec/"share/zsh/site-functions/_evtctl"
  end

  test do
    output = shell_output("#{bin}/{{distributionExecutableName}} --version")
    assert_match "{{projectVersion}}", output
  end
end
