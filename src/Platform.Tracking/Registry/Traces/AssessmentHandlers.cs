using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Tracking.Api;
using Platform.Tracking.Registry.Api;

namespace Platform.Tracking.Registry.Traces;

/// <summary>
/// Handlers of MLflow 3's assessment routes under <c>/api/3.0/mlflow/traces/{trace_id}/assessments</c>. The server owns
/// assessment_id, trace_id, create_time and last_update_time; every other field is stored as the client sent it.
/// </summary>
internal sealed class AssessmentHandlers : IAddOnRoutes
{
    private const string Prefix = "3.0/mlflow/traces/{trace_id}/assessments";

    private static readonly string[] ServerFields = ["assessment_id", "trace_id", "create_time", "last_update_time"];

    private static readonly string[] SourceTypes = ["HUMAN", "LLM_JUDGE", "CODE", "AI_JUDGE", "SOURCE_TYPE_UNSPECIFIED"];

    private readonly ITraceStore _store;
    private readonly TimeProvider _time;

    public AssessmentHandlers(ITraceStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);

        _store = store;
        _time = time;
    }

    public void Register(AddOnApiRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);

        router.Add("POST", Prefix, CreateAsync);
        router.Add("GET", Prefix + "/{assessment_id}", GetAsync);
        router.Add("PATCH", Prefix + "/{assessment_id}", UpdateAsync);
        router.Add("DELETE", Prefix + "/{assessment_id}", DeleteAsync);
    }

    private async Task CreateAsync(AddOnRequest request)
    {
        var traceId = request.GetPathValue("trace_id");
        var assessment = ReadAssessment(request.Body);
        foreach (var field in ServerFields)
        {
            assessment.Remove(field);
        }

        Validate(assessment);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var assessmentId = "a-" + Guid.NewGuid().ToString("N");
        assessment["assessment_id"] = assessmentId;
        assessment["trace_id"] = traceId;
        assessment["create_time"] = ProtoTime.FormatTimestamp(now);
        assessment["last_update_time"] = ProtoTime.FormatTimestamp(now);
        var body = assessment.ToJsonString();
        await _store.SaveAssessmentAsync(traceId, assessmentId, body, now, request.Aborted);
        await WriteAssessmentAsync(request, body);
    }

    private async Task GetAsync(AddOnRequest request)
    {
        var body = await _store.GetAssessmentAsync(request.GetPathValue("trace_id"), request.GetPathValue("assessment_id"), request.Aborted);
        await WriteAssessmentAsync(request, body);
    }

    private async Task UpdateAsync(AddOnRequest request)
    {
        var traceId = request.GetPathValue("trace_id");
        var assessmentId = request.GetPathValue("assessment_id");
        var changes = ReadAssessment(request.Body);
        var stored = JsonNode.Parse(await _store.GetAssessmentAsync(traceId, assessmentId, request.Aborted))!.AsObject();

        // An empty update_mask applies every field the request carries; a mask applies exactly the named fields.
        var mask = request.Message.GetString("update_mask");
        var paths = string.IsNullOrWhiteSpace(mask)
            ? changes.Select(property => property.Key).ToList()
            : mask.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ToSnakeCase).ToList();
        foreach (var path in paths)
        {
            if (ServerFields.Contains(path))
            {
                throw TrackingException.InvalidParameter($"Invalid update_mask path '{path}': the server sets this field. Remove it from the mask.");
            }

            var value = changes[path];
            stored.Remove(path);
            if (value is not null)
            {
                changes.Remove(path);
                stored[path] = value;
            }
        }

        if (stored.ContainsKey("feedback") && stored.ContainsKey("expectation"))
        {
            stored.Remove(paths.Contains("feedback") ? "expectation" : "feedback");
        }

        Validate(stored);
        stored["last_update_time"] = ProtoTime.FormatTimestamp(_time.GetUtcNow().ToUnixTimeMilliseconds());
        var body = stored.ToJsonString();
        var createTime = ProtoTime.ParseTimestamp(stored["create_time"]!.GetValue<string>(), "assessment.create_time");
        await _store.SaveAssessmentAsync(traceId, assessmentId, body, createTime, request.Aborted);
        await WriteAssessmentAsync(request, body);
    }

    private async Task DeleteAsync(AddOnRequest request)
    {
        await _store.DeleteAssessmentAsync(request.GetPathValue("trace_id"), request.GetPathValue("assessment_id"), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private static JsonObject ReadAssessment(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("assessment", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            throw FieldReader.Missing("assessment");
        }

        return JsonNode.Parse(element.GetRawText())!.AsObject();
    }

    /// <summary>Checks what MLflow requires of an assessment: a name, a known source type, and one of feedback or expectation.</summary>
    private static void Validate(JsonObject assessment)
    {
        if (assessment["assessment_name"] is not JsonValue name || !name.TryGetValue<string>(out var text) || text.Length == 0)
        {
            throw FieldReader.Missing("assessment.assessment_name");
        }

        if (assessment["source"] is not JsonObject source)
        {
            throw FieldReader.Missing("assessment.source");
        }

        var sourceType = source["source_type"] is JsonValue typeValue && typeValue.TryGetValue<string>(out var type) ? type : null;
        if (sourceType is null || !SourceTypes.Contains(sourceType))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid value '{sourceType}' for parameter 'assessment.source.source_type': use HUMAN, LLM_JUDGE or CODE.");
        }

        var hasFeedback = assessment.ContainsKey("feedback");
        var hasExpectation = assessment.ContainsKey("expectation");
        if (hasFeedback == hasExpectation)
        {
            throw TrackingException.InvalidParameter(
                "An assessment needs exactly one of 'feedback' or 'expectation'. Send one of them.");
        }
    }

    /// <summary>Turns a proto3 JSON FieldMask path such as <c>assessmentName</c> into the field name <c>assessment_name</c>.</summary>
    private static string ToSnakeCase(string path)
    {
        var builder = new StringBuilder(path.Length + 4);
        foreach (var c in path)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                builder.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static Task WriteAssessmentAsync(AddOnRequest request, string body) =>
        JsonResults.WriteObjectAsync(request.Context, writer =>
        {
            writer.WritePropertyName("assessment");
            writer.WriteRawValue(body, skipInputValidation: true);
        });
}
