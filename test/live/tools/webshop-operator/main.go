// The seed's webshop operator, minimal, built on kcp-dev/multicluster-provider v0.8.0's apiexport provider: it serves
// Webshop instances in every workspace bound to the webshop.example.com APIExport (through its virtual workspace,
// found by the endpoint slice), creates each shop's Postgres and Elasticsearch there through the export's permission
// claims, deploys the shop into the compute cluster, and writes the Webshop's status. It uses only the kubeconfigs
// and flags p2c's Deployment gives it: KUBECONFIG (kcp), --endpointslice, --provider-kubeconfig (compute).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/kcp-dev/multicluster-provider/apiexport"
	apisv1alpha1 "github.com/kcp-dev/sdk/apis/apis/v1alpha1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/clientcmd"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/metrics/server"
	mcbuilder "sigs.k8s.io/multicluster-runtime/pkg/builder"
	mcmanager "sigs.k8s.io/multicluster-runtime/pkg/manager"
	mcreconcile "sigs.k8s.io/multicluster-runtime/pkg/reconcile"
)

var (
	webshopKind  = schema.GroupVersionKind{Group: "webshop.example.com", Version: "v1alpha1", Kind: "Webshop"}
	postgresKind = schema.GroupVersionKind{Group: "database.example.com", Version: "v1alpha1", Kind: "Postgres"}
	elasticKind  = schema.GroupVersionKind{Group: "observability.example.com", Version: "v1alpha1", Kind: "Elasticsearch"}
)

func init() { utilruntime.Must(apisv1alpha1.AddToScheme(scheme.Scheme)) }

func object(gvk schema.GroupVersionKind, namespace, name string) *unstructured.Unstructured {
	o := &unstructured.Unstructured{}
	o.SetGroupVersionKind(gvk)
	o.SetNamespace(namespace)
	o.SetName(name)
	return o
}

// ensure creates an object if it does not exist yet.
func ensure(ctx context.Context, c client.Client, o *unstructured.Unstructured) error {
	if err := c.Create(ctx, o); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create %s %s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
	}
	return nil
}

func main() {
	var endpointSlice, providerKubeconfig, workloadNamespace string
	flag.StringVar(&endpointSlice, "endpointslice", "", "APIExportEndpointSlice of the Webshop APIExport, in the kubeconfig's workspace")
	flag.StringVar(&providerKubeconfig, "provider-kubeconfig", "", "kubeconfig of the compute cluster the shops are deployed to")
	flag.StringVar(&workloadNamespace, "workload-namespace", "webshop-operator-system", "namespace of the shops' Deployments")
	flag.Parse()
	log.SetLogger(zap.New(zap.UseDevMode(true)))
	ctx := ctrl.SetupSignalHandler()
	setup := log.Log.WithName("setup")
	fail := func(err error, what string) { setup.Error(err, what); os.Exit(1) }

	kcpConfig := ctrl.GetConfigOrDie()
	computeConfig, err := clientcmd.BuildConfigFromFlags("", providerKubeconfig)
	if err != nil {
		fail(err, "reading --provider-kubeconfig")
	}
	compute, err := client.New(computeConfig, client.Options{})
	if err != nil {
		fail(err, "compute cluster client")
	}
	provider, err := apiexport.New(kcpConfig, endpointSlice, apiexport.Options{})
	if err != nil {
		fail(err, "apiexport provider")
	}
	mgr, err := mcmanager.New(kcpConfig, provider, manager.Options{Metrics: server.Options{BindAddress: "0"}, HealthProbeBindAddress: "0"})
	if err != nil {
		fail(err, "manager")
	}

	reconcile := func(ctx context.Context, req mcreconcile.Request) (ctrl.Result, error) {
		l := log.FromContext(ctx).WithValues("cluster", req.ClusterName, "webshop", req.NamespacedName)
		cl, err := mgr.GetCluster(ctx, req.ClusterName)
		if err != nil {
			return ctrl.Result{}, err
		}
		c := cl.GetClient()
		shop := object(webshopKind, req.Namespace, req.Name)
		if err := c.Get(ctx, req.NamespacedName, shop); err != nil {
			return ctrl.Result{}, client.IgnoreNotFound(err)
		}
		size, _, _ := unstructured.NestedString(shop.Object, "spec", "databaseSize")
		if size == "" {
			size = "10Gi"
		}
		db := object(postgresKind, req.Namespace, req.Name+"-db")
		db.Object["spec"] = map[string]any{"version": "16", "storage": size, "connectionSecretName": req.Name + "-db-conn"}
		search := object(elasticKind, req.Namespace, req.Name+"-search")
		search.Object["spec"] = map[string]any{"nodes": int64(1), "credentialsSecretName": req.Name + "-search-conn"}
		for _, o := range []*unstructured.Unstructured{db, search} {
			if err := ensure(ctx, c, o); err != nil {
				return ctrl.Result{}, err
			}
		}
		// Read the bound objects back through the claims, as the shop's configuration needs their status.
		dbPhase := "Pending"
		if err := c.Get(ctx, client.ObjectKeyFromObject(db), db); err != nil {
			return ctrl.Result{}, err
		}
		if p, ok, _ := unstructured.NestedString(db.Object, "status", "phase"); ok {
			dbPhase = p
		}
		if err := c.Get(ctx, client.ObjectKeyFromObject(search), search); err != nil {
			return ctrl.Result{}, err
		}
		deployment := object(schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}, workloadNamespace, "shop-"+req.Name)
		labels := map[string]any{"app.kubernetes.io/name": "webshop", "webshop.example.com/name": req.Name}
		deployment.Object["spec"] = map[string]any{
			"selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{
				"metadata": map[string]any{"labels": labels},
				"spec": map[string]any{"containers": []any{map[string]any{
					"name": "shop", "image": "ghcr.io/example/webshop:v0.3.0",
					"env": []any{map[string]any{"name": "DATABASE_SECRET", "value": req.Name + "-db-conn"}},
				}}},
			},
		}
		if err := ensure(ctx, compute, deployment); err != nil {
			return ctrl.Result{}, err
		}
		status := map[string]any{"phase": "Database" + dbPhase, "url": "https://" + fmt.Sprint(shop.Object["spec"].(map[string]any)["domain"])}
		if err := unstructured.SetNestedField(shop.Object, status, "status"); err != nil {
			return ctrl.Result{}, err
		}
		if err := c.Status().Update(ctx, shop); err != nil {
			return ctrl.Result{}, fmt.Errorf("status: %w", err)
		}
		l.Info("reconciled", "postgres", db.GetName(), "postgresPhase", dbPhase, "elasticsearch", search.GetName())
		return ctrl.Result{}, nil
	}

	if err := mcbuilder.ControllerManagedBy(mgr).Named("webshop").For(object(webshopKind, "", "")).
		Complete(mcreconcile.Func(reconcile)); err != nil {
		fail(err, "controller")
	}
	setup.Info("starting", "endpointslice", endpointSlice)
	if err := mgr.Start(ctx); err != nil {
		fail(err, "manager stopped")
	}
}
