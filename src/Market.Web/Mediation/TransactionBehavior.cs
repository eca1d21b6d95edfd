using MediatR;

namespace Market.Web.Mediation;

/// <summary>
/// Runs each command inside the unit of work: everything it changed commits at the end, or nothing does
/// (a <see cref="Market.Domain.DomainException"/> included), which is what "bad input changes nothing" rests on.
/// </summary>
public sealed class TransactionBehavior<TRequest, TResponse>(UnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        // Queries, and commands sent from inside a command, run in whatever transaction there is (or none).
        if (request is not ICommandMarker || unitOfWork.InTransaction) return await next();

        await unitOfWork.BeginAsync(cancellationToken);
        try
        {
            var response = await next();
            await unitOfWork.CommitAsync(cancellationToken);
            return response;
        }
        catch
        {
            await unitOfWork.RollbackAsync();
            throw;
        }
    }
}
