{
  "aliases": {
    "{{jbangAliasName}}": {
      "script-ref": "https://github.com/{{repoOwner}}/{{repoName}}/releases/download/{{tagName}}/evtctl.jar",
      "description": "{{projectDescription}}",
      "java": "{{distributionJavaVersion}}+"
    }
  }
}
