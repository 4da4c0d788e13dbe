# The OmegaT 3.6 plugin (client/omegat-plugin): Java stubs generated from the same proto/heluo/v1 files, compiled
# with javac --release 8 against Debian's grpc-java and OmegaT.jar, packed twice:
#   heluo-omegat-plugin.jar      small; its manifest Class-Path names the jars in /usr/share/java (Debian)
#   heluo-omegat-plugin-all.jar  self-contained (grpc-java, protobuf, netty, guava inside) for other systems
# Built only when a JDK, grpc_java_plugin, the grpc-java jars and OmegaT are installed (tools/build.sh
# --test-deps installs them); otherwise skipped with a message.
find_package(Java 11 COMPONENTS Development)
find_program(GRPC_JAVA_PLUGIN grpc_java_plugin)
set(HELUO_JAVA_DIR /usr/share/java)
set(OMEGAT_JAR /usr/share/omegat/OmegaT.jar)
# What a grpc-java 1.41 client really loads: Debian's libgrpc-java does not declare netty, guava or perfmark.
set(HELUO_PLUGIN_RUNTIME_JARS
  grpc-api grpc-context grpc-core grpc-netty grpc-protobuf grpc-protobuf-lite grpc-stub protobuf guava
  failureaccess perfmark-api netty-common netty-buffer netty-transport netty-resolver netty-codec
  netty-codec-http netty-codec-http2 netty-handler netty-handler-proxy netty-codec-socks gson)
set(HELUO_PLUGIN_JAR_PATHS)
set(missing_jars)
foreach(j ${HELUO_PLUGIN_RUNTIME_JARS})
  if(EXISTS ${HELUO_JAVA_DIR}/${j}.jar)
    list(APPEND HELUO_PLUGIN_JAR_PATHS ${HELUO_JAVA_DIR}/${j}.jar)
  elseif(NOT j STREQUAL "failureaccess")
    list(APPEND missing_jars ${j})
  endif()
endforeach()
set(JUNIT_JARS ${HELUO_JAVA_DIR}/junit4.jar ${HELUO_JAVA_DIR}/hamcrest-core.jar)

option(HELUO_REQUIRE_OMEGAT_PLUGIN "Fail the configure step when the OmegaT plugin cannot be built" OFF)
if(NOT Java_FOUND OR NOT GRPC_JAVA_PLUGIN OR missing_jars OR NOT EXISTS ${OMEGAT_JAR})
  if(HELUO_REQUIRE_OMEGAT_PLUGIN)
    message(FATAL_ERROR "OmegaT plugin required but cannot be built (JDK: ${Java_FOUND}, grpc_java_plugin: ${GRPC_JAVA_PLUGIN}, missing jars: ${missing_jars}, OmegaT: ${OMEGAT_JAR})")
  endif()
  message(STATUS "OmegaT plugin not built (needs a JDK, grpc_java_plugin, OmegaT and jars; missing: ${missing_jars}); run tools/build.sh --test-deps")
  return()
endif()

set(PLUGIN_SRC ${CMAKE_SOURCE_DIR}/client/omegat-plugin)
set(PLUGIN_OUT ${CMAKE_BINARY_DIR}/omegat-plugin)
file(GLOB_RECURSE PLUGIN_MAIN_SOURCES CONFIGURE_DEPENDS ${PLUGIN_SRC}/src/main/java/*.java)
file(GLOB_RECURSE PLUGIN_TEST_SOURCES CONFIGURE_DEPENDS ${PLUGIN_SRC}/src/test/java/*.java)
list(JOIN HELUO_PLUGIN_JAR_PATHS ":" RUNTIME_CP)
list(JOIN JUNIT_JARS ":" JUNIT_CP)
set(PROTO_PATHS)
foreach(p ${PROTO_FILES})
  list(APPEND PROTO_PATHS ${PROTO_DIR}/${p})
endforeach()

# protoc + grpc_java_plugin, then javac, in one step (javac needs the generated list, known only after protoc).
add_custom_command(
  OUTPUT ${PLUGIN_OUT}/classes.stamp
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${PLUGIN_OUT}/gen ${PLUGIN_OUT}/classes
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PLUGIN_OUT}/gen ${PLUGIN_OUT}/classes
  COMMAND ${PROTOC} -I${PROTO_DIR} --java_out=${PLUGIN_OUT}/gen --grpc-java_out=${PLUGIN_OUT}/gen
          --plugin=protoc-gen-grpc-java=${GRPC_JAVA_PLUGIN} ${PROTO_PATHS}
  COMMAND ${Java_JAVA_EXECUTABLE} ${PLUGIN_SRC}/buildtools/ListSources.java ${PLUGIN_OUT}/sources.txt
          ${PLUGIN_OUT}/gen ${PLUGIN_SRC}/src/main/java
  COMMAND ${Java_JAVAC_EXECUTABLE} --release 8 -encoding UTF-8 -nowarn -Xlint:-options
          -cp ${RUNTIME_CP}:${OMEGAT_JAR} -d ${PLUGIN_OUT}/classes @${PLUGIN_OUT}/sources.txt
  COMMAND ${CMAKE_COMMAND} -E touch ${PLUGIN_OUT}/classes.stamp
  DEPENDS ${PROTO_PATHS} ${PLUGIN_MAIN_SOURCES} ${PLUGIN_SRC}/buildtools/ListSources.java
  COMMENT "OmegaT plugin: protoc (java, grpc-java) and javac --release 8")

# The small jar: manifest with OmegaT's attributes and a Class-Path of Debian's jars.
# One jar per manifest continuation line (a manifest line may not exceed 72 bytes by the spec, 512 by the JDK).
list(JOIN HELUO_PLUGIN_JAR_PATHS "\n  " CLASS_PATH)
set(CLASS_PATH_LINE "Class-Path: ${CLASS_PATH}")
configure_file(${PLUGIN_SRC}/MANIFEST.MF.in ${PLUGIN_OUT}/MANIFEST.MF @ONLY)
set(PLUGIN_JAR ${PLUGIN_OUT}/heluo-omegat-plugin.jar)
set(PLUGIN_FAT_JAR ${PLUGIN_OUT}/heluo-omegat-plugin-all.jar)
add_custom_command(
  OUTPUT ${PLUGIN_JAR}
  COMMAND ${Java_JAR_EXECUTABLE} cfm ${PLUGIN_JAR} ${PLUGIN_OUT}/MANIFEST.MF -C ${PLUGIN_OUT}/classes .
  DEPENDS ${PLUGIN_OUT}/classes.stamp ${PLUGIN_OUT}/MANIFEST.MF
  COMMENT "OmegaT plugin: ${PLUGIN_JAR}")
# The self-contained jar: the same classes plus every runtime jar, META-INF/services files merged.
set(CLASS_PATH_LINE "")
configure_file(${PLUGIN_SRC}/MANIFEST.MF.in ${PLUGIN_OUT}/MANIFEST-all.MF @ONLY)
add_custom_command(
  OUTPUT ${PLUGIN_FAT_JAR}
  COMMAND ${Java_JAVA_EXECUTABLE} ${PLUGIN_SRC}/buildtools/FatJar.java ${PLUGIN_FAT_JAR} ${PLUGIN_OUT}/MANIFEST-all.MF
          ${PLUGIN_JAR} ${HELUO_PLUGIN_JAR_PATHS}
  DEPENDS ${PLUGIN_JAR} ${PLUGIN_SRC}/buildtools/FatJar.java
  COMMENT "OmegaT plugin: ${PLUGIN_FAT_JAR}")
add_custom_target(omegat_plugin ALL DEPENDS ${PLUGIN_JAR} ${PLUGIN_FAT_JAR})

# Java unit tests (JUnit 4, io.grpc.inprocess) for the client, the mappers and the error handling.
add_custom_command(
  OUTPUT ${PLUGIN_OUT}/test-classes.stamp
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${PLUGIN_OUT}/test-classes
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PLUGIN_OUT}/test-classes
  COMMAND ${Java_JAVAC_EXECUTABLE} --release 8 -encoding UTF-8 -nowarn -Xlint:-options
          -cp ${PLUGIN_OUT}/classes:${RUNTIME_CP}:${JUNIT_CP} -d ${PLUGIN_OUT}/test-classes ${PLUGIN_TEST_SOURCES}
  COMMAND ${CMAKE_COMMAND} -E touch ${PLUGIN_OUT}/test-classes.stamp
  DEPENDS ${PLUGIN_OUT}/classes.stamp ${PLUGIN_TEST_SOURCES}
  COMMENT "OmegaT plugin: javac tests")
add_custom_target(omegat_plugin_tests ALL DEPENDS ${PLUGIN_OUT}/test-classes.stamp)
set(PLUGIN_TEST_CLASSES)
foreach(t ${PLUGIN_TEST_SOURCES})
  file(RELATIVE_PATH rel ${PLUGIN_SRC}/src/test/java ${t})
  string(REPLACE ".java" "" rel ${rel})
  string(REPLACE "/" "." cls ${rel})
  if(cls MATCHES "Test$")
    string(REGEX REPLACE ".*\\." "" short ${cls})
    add_test(NAME OmegatPlugin.${short}
             COMMAND ${Java_JAVA_EXECUTABLE} -Dheluo.server.bin=$<TARGET_FILE:heluo-server>
                     -cp ${PLUGIN_OUT}/test-classes:${PLUGIN_OUT}/classes:${RUNTIME_CP}:${JUNIT_CP}
                     org.junit.runner.JUnitCore ${cls})
    set_tests_properties(OmegatPlugin.${short} PROPERTIES TIMEOUT 120)
  endif()
endforeach()

# OmegaT 3.6 in console mode with the plugin installed, against the real server (tests/acceptance).
add_test(NAME OmegatPlugin.InOmegaTAgainstRealServer
         COMMAND ${CMAKE_SOURCE_DIR}/tests/acceptance/omegat_plugin_test.sh $<TARGET_FILE:heluo-server>
                 ${PLUGIN_JAR} ${PLUGIN_FAT_JAR})
set_tests_properties(OmegatPlugin.InOmegaTAgainstRealServer PROPERTIES TIMEOUT 600 COST 60)
