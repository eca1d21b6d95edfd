using MediatR;

namespace Market.Web.Mediation;

public static class MediationSetup
{
    /// <summary>
    /// MediatR 5.1 has no DI package we can use here, so this wires what it needs by hand: the service
    /// factory, the mediator, every handler in this assembly (Scrutor), and the transaction behaviour.
    /// </summary>
    public static WebApplicationBuilder AddMediation(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.AddScoped<UnitOfWork>();
        services.Scan(scan => scan.FromAssemblyOf<UnitOfWork>()
            .AddClasses(c => c.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithScopedLifetime());
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(TransactionBehavior<,>));
        return builder;
    }
}
