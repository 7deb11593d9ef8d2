using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Moclojer.Runtime;

/// <summary>
/// External bodies loaded per request: a templated local path, or an http/https url. The content
/// is a template rendered for the request. Any failure is a 500 with <c>{"error": "..."}</c>, never a crash.
/// </summary>
public static partial class MockExternalBody
{
    /// <summary>The named <see cref="System.Net.Http.HttpClient"/> used to fetch http/https external bodies.</summary>
    public const string HttpClientName = "Moclojer.ExternalBody";

    /// <summary>X-3: remote bodies are fetched with this timeout.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// a value inserted into the path goes in raw, but one containing '/' or '\' or equal to '..' could leave
    /// the directory, so the file is then treated as not found.
    /// </summary>
    public static string PathValue(string? value, ref bool ok)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        if (value.IndexOf('/') >= 0 || value.IndexOf('\\') >= 0 || value == ".." || value.IndexOf('\0') >= 0)
        {
            ok = false;
        }
        return value;
    }

    /// <summary>
    /// Loads the body (<paramref name="path"/> is the rendered path, or null when a value made it invalid, X-2;
    /// <paramref name="mockDirectory"/> is the mock file's folder relative to the project folder, X-3), renders it
    /// with the request's variables and writes the response, or a 500 with the reason. <paramref name="jsonBody"/>: the
    /// response's Content-Type is JSON, so content that is one JSON document is a JSON body (S-11), sent compact unless
    /// <paramref name="compact"/> is false (<c>MoclojerJsonBodies=verbatim</c>).
    /// </summary>
    public static async Task WriteAsync(MockRequest request, int status, string? contentType, string? path, string mockDirectory, string[] pathNames, string?[] pathValues,
        bool jsonBody = false, bool compact = false)
    {
        var context = request.HttpContext;
        var logger = context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Moclojer.ExternalBody");
        string? content;
        string? failure = null;
        if (path is null)
        {
            content = null;
            failure = "external body not found: a path value may not contain '/' or '\\' or be '..'";
        }
        else if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            (content, failure) = await FetchAsync(context, path).ConfigureAwait(false);
        }
        else
        {
            (content, failure) = await ReadFileAsync(path, mockDirectory, context.RequestAborted).ConfigureAwait(false);
        }

        var body = new TemplateBuffer();
        if (content is not null)
        {
            var error = MockTemplate.TryRender(content, request, pathNames, pathValues, body, jsonBody, compact);
            if (error is not null)
            {
                failure = "external body " + path + ": " + error;
            }
        }
        if (failure is not null)
        {
            body.Dispose();
            if (logger is not null)
            {
                LogFailed(logger, context.Request.Path, failure);
            }
            await MockResponses.ErrorAsync(request, StatusCodes.Status500InternalServerError, failure).ConfigureAwait(false);
            return;
        }
        await MockResponses.WriteAsync(request, status, contentType, body).ConfigureAwait(false);
    }

    /// <summary>
    /// a templated xlsx path (<paramref name="path"/> null when a value made it invalid, X-2): the rows of
    /// <paramref name="sheetName"/> (null: the first sheet) as a JSON array, or a 500 with the reason.
    /// </summary>
    public static async Task WriteWorkbookAsync(MockRequest request, int status, string? contentType, string? path, string mockDirectory, string? sheetName)
    {
        var context = request.HttpContext;
        string? json = null;
        string failure;
        if (path is null)
        {
            failure = "external body not found: a path value may not contain '/' or '\\' or be '..'";
        }
        else if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            failure = "external body " + path + ": an xlsx external body must be a local file";
        }
        else if (Locate(path, mockDirectory) is not { } file)
        {
            failure = "external body not found: " + path;
        }
        else
        {
            try
            {
                await using var stream = File.OpenRead(file);
                var sheets = MockWorkbook.ReadSheets(stream, sheetName);
                json = sheets.Count > 0 ? sheets[0].Value : null;
                failure = json is not null ? string.Empty
                    : sheetName is null ? "external body " + path + ": the workbook has no sheet"
                    : "external body " + path + ": the workbook has no sheet '" + sheetName + "'";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                failure = "external body " + path + " cannot be read: " + ex.Message;
            }
        }
        if (json is null)
        {
            var logger = context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Moclojer.ExternalBody");
            if (logger is not null)
            {
                LogFailed(logger, context.Request.Path, failure);
            }
            await MockResponses.ErrorAsync(request, StatusCodes.Status500InternalServerError, failure).ConfigureAwait(false);
            return;
        }
        var body = new TemplateBuffer();
        body.AppendRaw(json);
        await MockResponses.WriteAsync(request, status, contentType, body).ConfigureAwait(false);
    }

    /// <summary>X-3: the first existing file among the mock-folder and project-folder places, or null.</summary>
    private static string? Locate(string path, string mockDirectory)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : null;
        }
        foreach (var candidate in new[] { Path.Combine(AppContext.BaseDirectory, mockDirectory, path), Path.Combine(AppContext.BaseDirectory, path) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// relative to the mock file's folder, then to the project folder, both as they are in the application's
    /// output: the package's build targets copy each mock folder's JSON files to the build and publish output at
    /// their place in the project, so the service finds them wherever it is copied or started from.
    /// </summary>
    /// <remarks>
    /// A templated path may only reach those data files: a <c>*.json</c> file inside the application's output folder
    /// (the mock's folder is part of it), that is not one of the files .NET itself writes there (<c>*.deps.json</c>,
    /// <c>*.runtimeconfig.json</c>, <c>*.staticwebassets.*.json</c>, <c>appsettings*.json</c>). A rooted path, any other file, or a symbolic link whose
    /// target lies outside the output folder is "not found", whatever the request put in the path.
    /// </remarks>
    private static async Task<(string? Content, string? Failure)> ReadFileAsync(string path, string mockDirectory, CancellationToken cancellationToken)
    {
        if (path.Length == 0 || Path.IsPathRooted(path) || path.IndexOf('\0') >= 0)
        {
            return (null, "external body not found: " + path);
        }
        var root = Path.GetFullPath(AppContext.BaseDirectory);
        foreach (var candidate in new[] { Path.Combine(root, mockDirectory, path), Path.Combine(root, path) })
        {
            var full = Path.GetFullPath(candidate);
            if (!File.Exists(full))
            {
                continue;
            }
            if (!IsDataFile(root, full))
            {
                return (null, "external body not found: " + path + " (a templated path may only reach the mock's JSON data files)");
            }
            try
            {
                return (await File.ReadAllTextAsync(full, Encoding.UTF8, cancellationToken).ConfigureAwait(false), null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, "external body " + path + " could not be read (" + ex.GetType().Name + ")");
            }
        }
        return (null, "external body not found: " + path);
    }

    /// <summary>Whether <paramref name="full"/> is a data file shipped in <paramref name="root"/> (see <see cref="ReadFileAsync"/>).</summary>
    internal static bool IsDataFile(string root, string full)
    {
        var name = Path.GetFileName(full);
        if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".runtimeconfig.json", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".runtimeconfig.dev.json", StringComparison.OrdinalIgnoreCase)
            || name.Contains(".staticwebassets.", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        try
        {
            return IsInside(root, full) && LinksStayInside(root, full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false; // a link loop, a vanished file: not a data file
        }
    }

    private static bool LinksStayInside(string root, string full)
    {
        // Follow every symbolic link between the root and the file: each one must stay inside the root.
        var realRoot = RealPath(root);
        var relative = Path.GetRelativePath(root, full).Split(Path.DirectorySeparatorChar);
        var current = realRoot;
        foreach (var part in relative)
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is null)
            {
                continue;
            }
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists || !IsInside(realRoot, Path.GetFullPath(target.FullName)))
            {
                return false;
            }
            current = RealPath(target.FullName);
        }
        return IsInside(realRoot, current);
    }

    private static bool IsInside(string root, string full)
    {
        var relative = Path.GetRelativePath(root, full);
        return relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    /// <summary>The path with its links resolved, component by component (the root itself may sit behind a link).</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var rootOfPath = Path.GetPathRoot(full) ?? string.Empty;
        var current = rootOfPath;
        foreach (var part in full[rootOfPath.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = RealPath(target.FullName);
            }
        }
        return current;
    }

    private static async Task<(string? Content, string? Failure)> FetchAsync(HttpContext context, string url)
    {
        var factory = context.RequestServices.GetService<IHttpClientFactory>();
        if (factory is null)
        {
            return (null, "external body " + url + " cannot be fetched: IHttpClientFactory is not registered");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(FetchTimeout);
        try
        {
            var client = factory.CreateClient(HttpClientName);
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, "external body " + url + " answered " + (int)response.StatusCode);
            }
            return (await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            return (null, "external body " + url + " timed out after " + FetchTimeout.TotalSeconds + " s");
        }
        catch (HttpRequestException ex)
        {
            return (null, "external body " + url + " could not be fetched (" + ex.HttpRequestError + ")");
        }
    }

    [LoggerMessage(20, LogLevel.Warning, "The external body of {Path} failed; answering 500: {Reason}")]
    private static partial void LogFailed(ILogger logger, PathString path, string reason);
}
