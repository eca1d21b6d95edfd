using MediatR;

namespace Market.Web.Mediation;

/// <summary>
/// A request that changes state. The transaction behaviour wraps every command (and only commands) in one
/// database transaction shared by EF Core and the Marten ledger; queries run without one.
/// </summary>
public interface ICommand<out TResponse> : IRequest<TResponse>, ICommandMarker;

public interface ICommandMarker;
