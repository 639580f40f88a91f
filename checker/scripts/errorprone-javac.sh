# Sourced by the checker's scripts: how to run javac with Error Prone outside Maven.
# JFLAGS: the javac launcher options Error Prone needs on JDK 25 (the jdk.compiler exports of
# .mvn/jvm.config, passed to javac's own JVM).
JFLAGS=(-J-Xmx3g -J--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  -J--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  -J--add-exports=jdk.compiler/com.sun.tools.javac.main=ALL-UNNAMED
  -J--add-exports=jdk.compiler/com.sun.tools.javac.model=ALL-UNNAMED
  -J--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  -J--add-exports=jdk.compiler/com.sun.tools.javac.processing=ALL-UNNAMED
  -J--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  -J--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  -J--add-opens=jdk.compiler/com.sun.tools.javac.code=ALL-UNNAMED
  -J--add-opens=jdk.compiler/com.sun.tools.javac.comp=ALL-UNNAMED)
# COMMON: compile every finding (no limit on warnings), and stop after flow analysis on errors as
# Error Prone requires.
COMMON=(-Xlint:none -encoding UTF-8 -XDcompilePolicy=simple --should-stop=ifError=FLOW
  -Xmaxwarns 100000 -Xmaxerrs 100000 -proc:none)
