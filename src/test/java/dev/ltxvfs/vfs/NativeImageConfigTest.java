package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * The native image's configuration, checked without GraalVM: the foreign calls registered in
 * reachability-metadata.json are exactly the ones the VFS binds (same signatures), every upcall
 * target is reachable by reflection, the resource includes match the native libraries loaded at run
 * time, and our packages initialise at run time.
 */
class NativeImageConfigTest {
    static final String METADATA = "META-INF/native-image/dev.ltxvfs/ltxvfs/reachability-metadata.json";
    static final Linker LINKER = Linker.nativeLinker();

    record Direct(String className, String method, FunctionDescriptor descriptor) {}

    static JsonNode metadata() throws Exception {
        try (InputStream in = NativeImageConfigTest.class.getClassLoader().getResourceAsStream(METADATA)) {
            assertThat(in).as(METADATA + " on the classpath").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    static Properties applicationProperties() throws Exception {
        Properties p = new Properties();
        try (InputStream in = NativeImageConfigTest.class.getClassLoader().getResourceAsStream("application.properties")) {
            p.load(in);
        }
        return p;
    }

    /** A descriptor from the metadata's C type names, resolved as native-image resolves them. */
    static FunctionDescriptor descriptor(JsonNode call) {
        MemoryLayout[] args = new MemoryLayout[call.get("parameterTypes").size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = layout(call.get("parameterTypes").get(i).asText());
        }
        String ret = call.get("returnType").asText();
        return ret.equals("void") ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(layout(ret), args);
    }

    static MemoryLayout layout(String cType) {
        MemoryLayout l = LINKER.canonicalLayouts().get(cType);
        assertThat(l).as("canonical layout '" + cType + "'").isNotNull();
        return l;
    }

    static Set<FunctionDescriptor> descriptors(JsonNode calls) {
        Set<FunctionDescriptor> out = new HashSet<>();
        calls.forEach(c -> out.add(descriptor(c)));
        return out;
    }

    static Set<FunctionDescriptor> descriptors(Stream<ForeignCall> calls) {
        Set<FunctionDescriptor> out = new HashSet<>();
        calls.forEach(c -> out.add(c.descriptor()));
        return out;
    }

    @Test
    void registersExactlyTheDowncallsTheVfsMakes() throws Exception {
        Set<FunctionDescriptor> code = descriptors(Stream.of(SqliteApi.DOWNCALLS, LitestreamVfs.DOWNCALLS, TempFiles.DOWNCALLS).flatMap(List::stream));
        assertThat(descriptors(metadata().at("/foreign/downcalls"))).isEqualTo(code);
    }

    @Test
    void registersExactlyTheUpcallsTheVfsCreates() throws Exception {
        Set<FunctionDescriptor> code = descriptors(Stream.of(LitestreamVfs.UPCALLS, IoMethods.UPCALLS, TempFiles.UPCALLS).flatMap(List::stream));
        assertThat(descriptors(metadata().at("/foreign/upcalls"))).isEqualTo(code);

        Set<Direct> expected = new HashSet<>();
        LitestreamVfs.UPCALLS.forEach(c -> expected.add(new Direct(LitestreamVfs.class.getName(), c.name(), c.descriptor())));
        IoMethods.UPCALLS.forEach(c -> expected.add(new Direct(IoMethods.class.getName(), c.name(), c.descriptor())));
        TempFiles.UPCALLS.forEach(c -> expected.add(new Direct(TempFiles.class.getName(), c.name(), c.descriptor())));
        Set<Direct> registered = new HashSet<>();
        metadata().at("/foreign/directUpcalls").forEach(d ->
                registered.add(new Direct(d.get("class").asText(), d.get("method").asText(), descriptor(d))));
        assertThat(registered).isEqualTo(expected);
    }

    @Test
    void everyUpcallTargetIsAStaticMethodOfItsSignatureAndReflectable() throws Exception {
        Set<String> reflectable = new HashSet<>();
        for (JsonNode type : metadata().get("reflection")) {
            for (JsonNode m : type.get("methods")) {
                List<String> params = new ArrayList<>();
                m.get("parameterTypes").forEach(p -> params.add(p.asText()));
                reflectable.add(type.get("type").asText() + "." + m.get("name").asText() + params);
            }
        }
        for (JsonNode d : metadata().at("/foreign/directUpcalls")) {
            Class<?> owner = Class.forName(d.get("class").asText());
            FunctionDescriptor fd = descriptor(d);
            Method m = owner.getDeclaredMethod(d.get("method").asText(), fd.toMethodType().parameterArray());
            assertThat(Modifier.isStatic(m.getModifiers())).as(m.toString()).isTrue();
            assertThat(m.getReturnType()).as(m.toString()).isEqualTo(fd.toMethodType().returnType());
            // The VFS finds its targets with MethodHandles.lookup().findStatic(...) by name at run time.
            String key = owner.getName() + "." + m.getName()
                    + Arrays.stream(m.getParameterTypes()).map(Class::getName).toList();
            assertThat(reflectable).as("registered for reflection").contains(key);
        }
    }

    @Test
    void resourceIncludesMatchTheNativeLibrariesLoadedAtRunTime() throws Exception {
        List<PathMatcher> includes = Arrays.stream(applicationProperties().getProperty("quarkus.native.resources.includes").split(","))
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g.trim())).toList();
        String ours = "dev/ltxvfs/vfs/" + SqliteApi.RESOURCE;
        String sqliteJdbc = LibraryLoaderUtil.getNativeLibResourcePath().substring(1) + "/" + LibraryLoaderUtil.getNativeLibName();
        for (String resource : List.of(ours, sqliteJdbc)) {
            assertThat(getClass().getClassLoader().getResource(resource)).as(resource + " exists").isNotNull();
            assertThat(includes).as(resource + " is included").anyMatch(m -> m.matches(Path.of(resource)));
        }
    }

    @Test
    void initialisesOurPackagesAtRunTime() throws Exception {
        List<String> args = Arrays.stream(applicationProperties().getProperty("quarkus.native.additional-build-args").split(","))
                .map(String::trim).toList();
        assertThat(args).contains("--enable-native-access=ALL-UNNAMED", "-H:+ForeignAPISupport");
        for (String pkg : List.of("ltx", "store", "index", "cache", "vfs", "sql", "writer", "jdbc")) {
            assertThat(args).contains("--initialize-at-run-time=dev.ltxvfs." + pkg);
        }
        // The state of this process's early start (begun in main, before Quarkus boots) and its timeline.
        for (String cls : List.of("dev.ltxvfs.api.EarlyStart", "dev.ltxvfs.api.StartupTimeline")) {
            assertThat(Class.forName(cls, false, getClass().getClassLoader())).isNotNull(); // the name is real
            assertThat(args).contains("--initialize-at-run-time=" + cls);
        }
    }
}
